"""Oscar's storefront paths we put a guard in front of; config/urls.py includes these under "shop/" before Oscar's
own, so the same path and name resolve here.

Password reset: Oscar's view exactly as oscar/config.py builds it (its form, template and success URL, refused to
a signed-in shopper), rate-limited per client IP: each POST may send an email."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from oscar.core.loading import get_class
from oscar.views.decorators import login_forbidden

from .ratelimits import rate_limited

PasswordResetForm = get_class("customer.forms", "PasswordResetForm")

urlpatterns = [
    path(
        "password-reset/",
        login_forbidden(
            rate_limited("password-reset")(
                auth_views.PasswordResetView.as_view(
                    form_class=PasswordResetForm,
                    success_url=reverse_lazy("password-reset-done"),
                    template_name="oscar/registration/password_reset_form.html",
                )
            )
        ),
        name="password-reset",
    ),
]
