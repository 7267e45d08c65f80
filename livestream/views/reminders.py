"""Reminders: "Nhắc tôi" (POST /live/<slug>/remind/), a guest's confirmation link, one-click unsubscribe.

Confirming takes a POST (the page behind the mailed link shows one button): mail scanners and link prefetchers
open links with GET, and a GET that confirmed would let anyone subscribe someone else's address, which is exactly
what double opt-in is there to prevent. Unsubscribing is the opposite: a POST to the mailed URL (RFC 8058 one-click,
sent by mail clients without a CSRF token, hence exempt) unsubscribes at once; a GET shows one button that POSTs.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from shop.security.ratelimits import rate_limited

from ..models import LiveReminder, LiveSession
from ..reminder_forms import ReminderForm
from ..reminders import (
    reminder_confirm,
    reminder_is_active,
    reminder_open_check,
    reminder_request,
    reminder_unsubscribe,
)
from ..services import LiveRefused


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request, session: LiveSession) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return session.get_absolute_url()


def _private(response):
    """Pages reached by a secret link: never cached, never indexed, the token never sent on as a referrer."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@method_decorator(rate_limited("live-reminder"), name="post")  # per client IP (README: Production)
class ReminderCreateView(View):
    http_method_names = ["get", "post"]

    def get(self, request, slug):
        session = get_object_or_404(LiveSession, slug=slug)
        return redirect(session.get_absolute_url())

    def post(self, request, slug):
        session = get_object_or_404(LiveSession, slug=slug)
        form = ReminderForm(request.POST, user=request.user)
        if not form.is_valid():
            error = next(iter(form.errors.get("email", [])), _("Vui lòng nhập email để nhận nhắc lịch."))
            return self._answer(request, session, ok=False, state="invalid", message=error, status=400)
        try:
            outcome = reminder_request(session=session, email=form.address(),
                                       user=request.user if form.signed_in else None)
        except LiveRefused as refusal:
            return self._answer(request, session, ok=False, state="refused", message=str(refusal), status=409)
        if outcome.confirmed:
            message = _("Đã đăng ký nhắc lịch: chúng tôi sẽ gửi email tới %(email)s %(minutes)s phút trước giờ phát "
                        "và báo nếu lịch thay đổi.") % {"email": outcome.reminder.email,
                                                          "minutes": settings.LIVESTREAM_REMINDER_MINUTES}
        else:  # the same words whether or not the email was registered before: nothing leaks
            message = _("Kiểm tra email để xác nhận nhắc lịch: bấm liên kết trong thư chúng tôi vừa gửi. Nếu email "
                        "này đã đăng ký trước đó, bạn không cần làm gì thêm.")
        return self._answer(request, session, ok=True, state="confirmed" if outcome.confirmed else "pending",
                            message=message, status=200)

    def _answer(self, request, session, *, ok: bool, state: str, message: str, status: int):
        if _wants_json(request):
            return JsonResponse({"ok": ok, "status": state, "message": message}, status=status)
        (messages.success if ok else messages.error)(request, message)
        return redirect(_back(request, session))


class ReminderConfirmView(View):
    template_name = "livestream/reminders/confirm.html"

    def _page(self, request, reminder, *, problem: str = "", status: int = 200):
        return _private(render(request, self.template_name, {
            "reminder": reminder, "session": reminder.session, "active": reminder_is_active(reminder),
            "problem": problem,
        }, status=status))

    def get(self, request, token):
        reminder = get_object_or_404(LiveReminder.objects.select_related("session"), token=token)
        problem = ""
        if not reminder_is_active(reminder):
            try:
                reminder_open_check(session=reminder.session)
            except LiveRefused as refusal:
                problem = str(refusal)
        return self._page(request, reminder, problem=problem)

    def post(self, request, token):
        try:
            reminder = reminder_confirm(token=token)
        except LiveReminder.DoesNotExist:
            raise Http404 from None
        except LiveRefused as refusal:
            reminder = get_object_or_404(LiveReminder.objects.select_related("session"), token=token)
            return self._page(request, reminder, problem=str(refusal), status=409)
        messages.success(request, _("Đã đăng ký nhắc lịch phiên “%(title)s”: chúng tôi sẽ gửi email %(minutes)s phút "
                                    "trước giờ phát.") % {"title": reminder.session.title,
                                                           "minutes": settings.LIVESTREAM_REMINDER_MINUTES})
        return redirect(reminder.session.get_absolute_url())


@method_decorator(csrf_exempt, name="dispatch")  # RFC 8058: mail clients POST here with no cookie and no token
class ReminderUnsubscribeView(View):
    template_name = "livestream/reminders/unsubscribe.html"

    def _page(self, request, reminder, *, done: bool):
        return _private(render(request, self.template_name, {
            "reminder": reminder, "session": reminder.session, "done": done,
        }))

    def get(self, request, token):
        reminder = get_object_or_404(LiveReminder.objects.select_related("session"), token=token)
        return self._page(request, reminder, done=reminder.unsubscribed_at is not None)

    def post(self, request, token):
        try:
            reminder = reminder_unsubscribe(token=token)
        except LiveReminder.DoesNotExist:
            raise Http404 from None
        return self._page(request, reminder, done=True)
