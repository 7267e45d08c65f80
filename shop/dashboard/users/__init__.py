"""Oscar's users dashboard, forked for one view: the product alert list reads each alert's product and user in the
list's own query (Oscar's reads them one alert at a time)."""
