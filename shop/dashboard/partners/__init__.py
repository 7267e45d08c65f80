"""Oscar's partners dashboard, forked for one view: the partner list reads every partner's users and addresses
(with their countries) in one query each (Oscar's reads them one partner at a time)."""
