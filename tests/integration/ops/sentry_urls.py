"""A view that fails with the shopper's personal data all around it, for tests/integration/ops/test_sentry.py."""

import logging

from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def fail(request):
    email, phone = request.GET.get("email", ""), request.POST.get("phone", "")  # locals an event must not carry
    address = request.POST.get("address", "")
    logging.getLogger("shop.checkout").warning("looking up guest %s", email)  # a breadcrumb of the event
    raise ValueError(f"no delivery slot for {email} ({phone}), {len(address)} characters of address")


urlpatterns = [path("boom/", fail)]
