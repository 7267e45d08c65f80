"""The control page of one session (/live/<slug>/control/): the law's checklist before going live, and the buttons
that run the session (go live, pin a product, end, cancel). Phone first: the host may run it from a phone.

Who: programme staff (active staff with ``livestream.change_livesession``) and the session's own host; anyone
else gets a 404, an anonymous visitor the login page. Cancelling is a scheduling decision, kept for staff.
Every button posts, calls one service of livestream/services.py and redirects back (POST-redirect-GET) with a
message; the services are idempotent, so the same POST twice does the same thing once, and a refusal
(``LiveRefused``) changes nothing and is shown as worded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from catalogue.certification import ocop_today

from ..control_forms import CANCEL, END, GO_LIVE, PIN, ActionForm, CancelForm, PinForm
from ..models import FeaturedProduct, LiveSession
from ..selectors import session_control_features
from ..services import (
    LiveRefused,
    go_live_problems,
    host_identity_check,
    session_cancel,
    session_end,
    session_go_live,
    session_pin,
)

Status = LiveSession.Status


def is_programme_staff(user) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm("livestream.change_livesession"))


def may_control(user, session: LiveSession) -> bool:
    return user.is_authenticated and user.is_active and (session.host_id == user.pk or is_programme_staff(user))


def _admin_url(name: str, *args, query: str = "") -> str:
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:  # the admin viewsets are not registered (never in this project; keeps the page up)
        return ""


@dataclass
class FeatureCheck:
    """One featured product and its quality documents: the current OCOP certificate, attached automatically,
    plus any other papers staff uploaded."""

    feature: FeaturedProduct
    certificate: object = None
    documents: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.certificate is not None


class SessionControlView(LoginRequiredMixin, TemplateView):
    template_name = "livestream/control/session.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.session = get_object_or_404(LiveSession.objects.select_related("host", "producer"), slug=kwargs["slug"])
        if not may_control(request.user, self.session):
            raise Http404
        self.is_staff = is_programme_staff(request.user)
        return super().dispatch(request, *args, **kwargs)

    # ---------------------------------------------------------------- reading
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        today = ocop_today()
        features = session_control_features(session=session)
        checks = [
            FeatureCheck(feature=f, certificate=f.product.current_certificate(today),
                         documents=list(f.product.quality_documents.all()))
            for f in features
        ]
        identity = host_identity_check(session.host)
        problems = go_live_problems(session=session) if session.status == Status.SCHEDULED else []
        context.update(
            session=session,
            identity=identity,
            checks=checks,
            problems=problems,
            pinned=next((f for f in features if f.is_pinned), None),
            is_staff=self.is_staff,
            is_host=session.host_id == self.request.user.pk,
            can_go_live=session.status == Status.SCHEDULED,
            can_end=session.status == Status.LIVE,
            can_pin=session.status in (Status.SCHEDULED, Status.LIVE) and bool(features),
            can_cancel=self.is_staff and session.status == Status.SCHEDULED,
            cancel_form=kwargs.get("cancel_form") or CancelForm(),
            control_url=reverse("livestream:control", kwargs={"slug": session.slug}),
            report_url=reverse("livestream:report", kwargs={"slug": session.slug}),
        )
        if self.is_staff:
            context.update(
                admin_edit_url=_admin_url("livestream_session:edit", session.pk),
                identity_add_url=_admin_url("livestream_identity_check:add", query=f"?user={session.host_id}"),
                document_add_url=_admin_url("livestream_quality_document:add"),
            )
        return context

    # ---------------------------------------------------------------- acting
    def post(self, request, *args, **kwargs):
        action_form = ActionForm(request.POST)
        if not action_form.is_valid():
            messages.error(request, _("Thao tác không hợp lệ."))
            return self._back()
        action = action_form.cleaned_data["action"]
        try:
            {GO_LIVE: self._go_live, PIN: self._pin, END: self._end, CANCEL: self._cancel}[action]()
        except LiveRefused as refused:
            messages.error(request, str(refused))
        return self._back()

    def _back(self):
        return redirect("livestream:control", slug=self.session.slug)

    def _go_live(self):
        was_live = self.session.status == Status.LIVE
        session = session_go_live(session=self.session, actor=self.request.user)
        if was_live:
            messages.info(self.request, _("Phiên “%(title)s” đang phát.") % {"title": session.title})
        else:
            messages.success(self.request, _("Đã bắt đầu phát “%(title)s”. Giá live đã mở.") % {"title": session.title})

    def _pin(self):
        if self.session.status not in (Status.SCHEDULED, Status.LIVE):
            raise LiveRefused(_("Phiên đã kết thúc hoặc đã huỷ: không đổi sản phẩm ghim được."))
        form = PinForm(self.request.POST, session=self.session)
        if not form.is_valid():
            raise LiveRefused(" ".join(e for errors in form.errors.values() for e in errors))
        feature = form.cleaned_data["featured"]
        session_pin(session=self.session, featured_id=feature.pk if feature else None, actor=self.request.user)
        if feature:
            messages.success(self.request, _("Đã ghim “%(title)s”.") % {"title": feature.product.get_title()})
        else:
            messages.success(self.request, _("Đã bỏ ghim sản phẩm."))

    def _end(self):
        was_ended = self.session.status == Status.ENDED
        session = session_end(session=self.session, actor=self.request.user)
        if was_ended:
            messages.info(self.request, _("Phiên “%(title)s” đã kết thúc.") % {"title": session.title})
        else:
            messages.success(
                self.request,
                _("Đã kết thúc “%(title)s”. Bản ghi cần lưu đến %(day)s: hãy thêm đường dẫn xem lại.")
                % {"title": session.title, "day": session.replay_retained_until.strftime("%d/%m/%Y")},
            )

    def _cancel(self):
        if not self.is_staff:
            raise LiveRefused(_("Chỉ cán bộ chương trình được huỷ phiên."))
        if self.session.status == Status.CANCELLED:
            messages.info(self.request, _("Phiên “%(title)s” đã huỷ.") % {"title": self.session.title})
            return
        form = CancelForm(self.request.POST)
        if not form.is_valid():
            raise LiveRefused(" ".join(e for errors in form.errors.values() for e in errors))
        session = session_cancel(session=self.session, actor=self.request.user, reason=form.cleaned_data["reason"])
        messages.success(self.request, _("Đã huỷ phiên “%(title)s”.") % {"title": session.title})
