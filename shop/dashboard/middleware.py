"""Oscar's dashboard is for programme staff only. Oscar lets partner users in (with `partner.dashboard_access`)
and some of its views leak other producers' data; producers work in the seller area instead."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


class StaffOnlyDashboardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "dashboard" not in match.namespaces:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return None
