"""Oscar's dashboard menu asks this whether to show an item: Oscar's own rule for Oscar's views, programme
staff for ours (the orders dashboard fork's payment screens, the programme views; the reports also need
reports.view_sale)."""

from django.urls import resolve, reverse
from oscar.apps.dashboard.nav import _dashboard_url_names_to_config, default_access_fn


def dashboard_access(user, url_name, url_args=None, url_kwargs=None):
    if url_name is None:
        return True
    match = resolve(reverse(url_name, args=url_args, kwargs=url_kwargs))
    if match.url_name in _dashboard_url_names_to_config() and match.namespace.endswith("dashboard"):
        return default_access_fn(user, url_name, url_args, url_kwargs)
    if match.namespace == "reports":  # the programme's reports: staff holding the ledger's view permission
        return user.is_staff and user.has_perm("reports.view_sale")
    return user.is_staff
