"""Oscar's offers dashboard, forked for one view: the offer list names each offer's benefit and condition (and
their range) from the list's own query (Oscar's reads each condition's range again, one offer at a time)."""
