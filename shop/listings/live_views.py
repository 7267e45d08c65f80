"""A producer's own live sessions, when programme staff allow it (``Partner.may_host_livestreams``).

The producer schedules a session for its own certified products, with live prices and limits; the host is the
signed-in user. Edits only while the session is scheduled; once ended, only the replay and the notes. Going live
stays on the control page (``livestream:control``), for staff or the host. Someone else's session is a 404 and an
action on it changes nothing; without the permission the pages say staff have not enabled it (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from livestream.models import LiveSession
from livestream.services import (
    SessionRefused,
    session_after_end_update,
    session_reschedule,
    session_schedule,
    session_warnings,
)
from shop.fulfilment.selectors import producers_of_user

from .access import ProducerAreaMixin
from .live_forms import EndedSessionForm, ProducerSessionForm, feature_formset, producer_live_products

Status = LiveSession.Status
SESSION_FIELDS = ProducerSessionForm._meta.fields


# ---------------------------------------------------------------- views
class ProducerLiveMixin(ProducerAreaMixin):
    def not_allowed(self):
        return render(self.request, "shop/listings/live_not_allowed.html", status=403)

    def hosting_producer(self):
        """The producer the user schedules for (``?producer=<code>`` picks one of theirs), if staff allow it."""
        producers = producers_of_user(self.request.user)
        code = self.request.GET.get("producer") or self.request.POST.get("producer")
        if code:
            producer = get_object_or_404(producers, code=code)
            return producer if producer.may_host_livestreams else None
        return producers.filter(may_host_livestreams=True).order_by("name").first()

    def own_session(self, pk: int) -> LiveSession:
        """A session of one of the user's producers; anyone else's is a 404."""
        sessions = LiveSession.objects.filter(producer__in=producers_of_user(self.request.user))
        return get_object_or_404(sessions.select_related("producer", "host"), pk=pk)


class LiveSessionListView(ProducerLiveMixin, View):
    def get(self, request):
        producers = producers_of_user(request.user)
        if not producers.filter(may_host_livestreams=True).exists():
            return self.not_allowed()
        sessions = (
            LiveSession.objects.filter(producer__in=producers).select_related("producer", "host")
            .order_by("-scheduled_start", "-pk")
        )
        return render(request, "shop/listings/live_list.html", {"sessions": sessions})


class LiveSessionCreateView(ProducerLiveMixin, View):
    template_name = "shop/listings/live_form.html"

    def _render(self, producer, form, formset, status=200):
        return render(self.request, self.template_name, {
            "form": form, "formset": formset, "creating": True, "producer": producer,
        }, status=status)

    def get(self, request):
        producer = self.hosting_producer()
        if producer is None:
            return self.not_allowed()
        products = producer_live_products(producer)
        return self._render(producer, ProducerSessionForm(), feature_formset(products=products))

    def post(self, request):
        producer = self.hosting_producer()
        if producer is None:
            return self.not_allowed()
        products = producer_live_products(producer)
        form = ProducerSessionForm(request.POST, instance=LiveSession())
        formset = feature_formset(products=products, data=request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self._render(producer, form, formset, status=400)
        features = formset.features()
        try:
            session = session_schedule(session=form.instance, features=features, producer=producer,
                                              user=request.user)
        except SessionRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
            return self._render(producer, form, formset, status=400)
        messages.success(request, _("Đã lên lịch phiên “%(title)s”.") % {"title": session.title})
        for warning in session_warnings(session=session, products=[row["product"] for row in features]):
            messages.warning(request, warning)
        return redirect("seller:live-edit", pk=session.pk)


class LiveSessionEditView(ProducerLiveMixin, View):
    template_name = "shop/listings/live_form.html"

    def _render(self, session, form=None, formset=None, status=200):
        context = {"session": session, "producer": session.producer, "creating": False, "form": form,
                   "formset": formset}
        if session.status == Status.SCHEDULED:
            products = producer_live_products(session.producer)
            context["form"] = form or ProducerSessionForm(instance=session)
            context["formset"] = formset or feature_formset(products=products, session=session)
        elif session.status == Status.ENDED:
            context["form"] = form or EndedSessionForm(instance=session)
        context["featured"] = session.featured.select_related("product").order_by("position", "pk")
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        session = self.own_session(pk)
        if not session.producer.may_host_livestreams:
            return self.not_allowed()
        return self._render(session)

    def post(self, request, pk):
        session = self.own_session(pk)
        if not session.producer.may_host_livestreams:
            return self.not_allowed()
        if session.status == Status.SCHEDULED:
            return self._post_scheduled(session)
        if session.status == Status.ENDED:
            return self._post_ended(session)
        messages.error(request, _("Phiên đang ở trạng thái “%(status)s”: không sửa được.")
                       % {"status": session.get_status_display()})
        return redirect("seller:live-edit", pk=session.pk)

    def _post_scheduled(self, session):
        products = producer_live_products(session.producer)
        form = ProducerSessionForm(self.request.POST, instance=session)
        formset = feature_formset(products=products, data=self.request.POST, session=session)
        if not (form.is_valid() and formset.is_valid()):
            return self._render(LiveSession.objects.get(pk=session.pk), form, formset, status=400)
        features = formset.features()
        try:
            session_reschedule(session=form.instance, features=features, fields=SESSION_FIELDS)
        except SessionRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
            return self._render(LiveSession.objects.get(pk=session.pk), form, formset, status=400)
        messages.success(self.request, _("Đã lưu."))
        for warning in session_warnings(session=session, products=[row["product"] for row in features]):
            messages.warning(self.request, warning)
        return redirect("seller:live-edit", pk=session.pk)

    def _post_ended(self, session):
        form = EndedSessionForm(self.request.POST, instance=session)
        if not form.is_valid():
            return self._render(LiveSession.objects.get(pk=session.pk), form, status=400)
        try:
            session_after_end_update(session=session, replay_url=form.cleaned_data["replay_url"],
                                       notes=form.cleaned_data["notes"])
        except SessionRefused as refused:
            messages.error(self.request, str(refused))
            return redirect("seller:live-edit", pk=session.pk)
        messages.success(self.request, _("Đã lưu."))
        return redirect("seller:live-edit", pk=session.pk)
