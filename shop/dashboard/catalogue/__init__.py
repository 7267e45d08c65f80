"""Oscar's catalogue dashboard, forked for one view: the stock alert list reads each alert's stock record, product
and partner in the list's own query (Oscar's reads them one alert at a time)."""
