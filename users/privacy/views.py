"""Thin views: the notice, sign-up with consent, and the shopper's own data (download, erasure).

Nothing here takes a person's id: every account view acts on the signed-in user only, so nobody can reach another
person's data through it."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from oscar.apps.customer.signals import user_registered
from oscar.core.loading import get_class

from shop.security.ratelimits import rate_limited

from . import conf
from .export import person_export
from .forms import ConsentRegistrationForm, ErasureConfirmForm, ErasurePasswordForm
from .selectors import erasure_blockers
from .services import ErasureRefused, person_erase

AccountRegistrationView = get_class("customer.views", "AccountRegistrationView")
AccountAuthView = get_class("customer.views", "AccountAuthView")


class NoticeView(TemplateView):
    """The personal data notice (Thông báo xử lý dữ liệu cá nhân), in the site layout."""

    template_name = "privacy/notice.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "notice_version": conf.notice_version(),
            "contact_email": conf.contact_email(self.request),
            "accounting_years": conf.ACCOUNTING_YEARS,
            "livestream_years": conf.LIVESTREAM_RECORD_YEARS,
        }


# ---------------------------------------------------------------- sign-up (Oscar's paths, config/urls.py)
class ConsentRegisterMixin:
    """Oscar's ``register_user``, with the request passed to ``authenticate()``: Oscar's call passes none, which
    django-axes' backend refuses (AxesBackendRequestParameterRequired), so sign-up would fail."""

    def register_user(self, form):
        user = form.save()  # with its consent, in one transaction (ConsentRegistrationForm)
        user_registered.send_robust(sender=self, request=self.request, user=user)
        if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
            self.send_registration_email(user)
        signed_in = authenticate(self.request, username=user.email, password=form.cleaned_data["password1"])
        if signed_in is not None:  # None only if this email and IP are locked out: the account exists, sign in later
            auth_login(self.request, signed_in)
        return user


@method_decorator(rate_limited("register"), name="post")
class RegisterView(ConsentRegisterMixin, AccountRegistrationView):
    """Oscar's sign-up page, with the notice's box and a rate limit."""

    form_class = ConsentRegistrationForm


def _registering(request) -> bool:
    return "registration_submit" in request.POST


@method_decorator(rate_limited("register", only_if=_registering), name="post")
class LoginRegisterView(ConsentRegisterMixin, AccountAuthView):
    """Oscar's sign-in page also signs up (its second form): the same box and, for that form, the same rate limit."""

    registration_form_class = ConsentRegistrationForm


# ---------------------------------------------------------------- the shopper's own data
class AccountPrivacyMixin(LoginRequiredMixin):
    def render_page(self, request, *, password_form=None, status=200):
        blockers = erasure_blockers(user=request.user)
        context = {
            "page_title": _("Dữ liệu cá nhân"),
            "active_tab": "privacy",
            "blockers": blockers,
            "password_form": password_form or ErasurePasswordForm(user=request.user),
            "contact_email": conf.contact_email(request),
        }
        return render(request, "privacy/account.html", context, status=status)


@method_decorator(never_cache, name="dispatch")
class AccountPrivacyView(AccountPrivacyMixin, View):
    """The account page: download everything, or ask to be erased."""

    def get(self, request):
        return self.render_page(request)


@method_decorator(never_cache, name="dispatch")
class DownloadView(LoginRequiredMixin, View):
    """All the shopper's data as one JSON file (Decree 13, art. 9 and 14: access and a copy)."""

    def get(self, request):
        data = person_export(user=request.user)
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"du-lieu-ca-nhan-{timezone.localdate():%Y%m%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


@method_decorator(never_cache, name="dispatch")
class EraseView(AccountPrivacyMixin, View):
    """Erasure in two steps: the password (then a page saying exactly what happens), then the final button."""

    def get(self, request):
        return redirect("privacy_account:index")

    def post(self, request):
        if "confirmation" in request.POST:
            return self._erase(request)
        form = ErasurePasswordForm(request.POST, user=request.user, request=request)
        if erasure_blockers(user=request.user):
            return self.render_page(request, status=409)
        if not form.is_valid():
            return self.render_page(request, password_form=form, status=400)
        confirm = ErasureConfirmForm(initial={"confirmation": form.confirmation()}, user=request.user)
        return render(request, "privacy/erase_confirm.html", {
            "page_title": _("Xác nhận xoá tài khoản"), "active_tab": "privacy", "form": confirm,
        })

    def _erase(self, request):
        confirm = ErasureConfirmForm(request.POST, user=request.user)
        if not confirm.is_valid():
            for error in confirm.errors.get("confirmation", []):
                messages.error(request, error)
            return redirect("privacy_account:index")
        try:
            person_erase(user=request.user)
        except ErasureRefused as refused:
            for message in refused.messages:
                messages.error(request, message)
            return redirect("privacy_account:index")
        logout(request)  # this browser's session goes now; the others were removed with the account
        return redirect(reverse("privacy:erased"))


class ErasedView(TemplateView):
    template_name = "privacy/erased.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "contact_email": conf.contact_email(self.request)}


class ProfileDeleteView(LoginRequiredMixin, View):
    """Oscar's “delete profile” would delete the account row with the person still in every order (and fail on the
    records that protect it): it leads to our erasure page instead."""

    def get(self, request):
        return redirect("privacy_account:index")

    post = get
