"""A producer's own live sessions, when programme staff allow it (``Partner.may_host_livestreams``).

The producer schedules a session for its own certified products, with live prices and limits; the host is the
signed-in user. Edits only while the session is scheduled; once ended, only the replay and the notes. Going live
stays on the control page (``livestream:control``), for staff or the host. Someone else's session is a 404 and an
action on it changes nothing; without the permission the pages say staff have not enabled it (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_model

from livestream.models import RESERVED_SLUGS, FeaturedProduct, LiveSession
from livestream.services import offers_sync, session_problems, session_warnings
from shop.fulfilment.selectors import producers_of_user
from shop.text import vi_slugify

from .access import ProducerAreaMixin
from .live_forms import EndedSessionForm, ProducerSessionForm, feature_formset, producer_live_products

ConditionalOffer = get_model("offer", "ConditionalOffer")
Status = LiveSession.Status
SESSION_FIELDS = ProducerSessionForm._meta.fields
AFTER_END_FIELDS = EndedSessionForm._meta.fields


class SessionRefused(Exception):
    """Nothing was written; ``problems`` say why."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


# ---------------------------------------------------------------- writes (one transaction each)
def _free_slug(title: str) -> str:
    base = vi_slugify(title)[:60].strip("-") or "phien-live"
    if base in RESERVED_SLUGS:
        base = f"{base}-live"
    slug, n = base, 2
    while LiveSession.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _features_write(*, session: LiveSession, features: list[dict]) -> None:
    """The featured products in the order given; a product taken out loses its feature (its offer, never opened
    while scheduled, stays suspended). The pin is kept."""
    existing = {f.product_id: f for f in FeaturedProduct.objects.select_for_update().filter(session=session)}
    for position, row in enumerate(features):
        feature = existing.pop(row["product"].pk, None) or FeaturedProduct(session=session, product=row["product"])
        feature.position = position
        feature.live_price = row["live_price"]
        feature.quantity_limit = row["quantity_limit"]
        feature.per_customer_limit = row["per_customer_limit"]
        feature.save()
    for feature in existing.values():
        if feature.offer_id:
            ConditionalOffer.objects.filter(pk=feature.offer_id).update(status=ConditionalOffer.SUSPENDED)
        feature.delete()


def _host_lock(user) -> None:
    """One booking at a time per host, so two forms sent together cannot both pass the overlap check."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()


def producer_session_create(*, session: LiveSession, features: list[dict], producer, user) -> LiveSession:
    """Schedule a session hosted by ``user`` for ``producer``: the scheduling rules (overlap, times, certified
    products), then the session, its featured products and their (suspended) live-price offers."""
    with transaction.atomic():
        _host_lock(user)
        session.host, session.producer, session.created_by = user, producer, user
        session.status = Status.SCHEDULED
        problems = session_problems(session=session, products=[row["product"] for row in features])
        if problems:
            raise SessionRefused(problems)
        session.slug = _free_slug(session.title)
        session.save()
        _features_write(session=session, features=features)
        offers_sync(session=session)
    return session


def producer_session_update(*, session: LiveSession, features: list[dict]) -> LiveSession:
    """Change a session that is still scheduled (checked under the row lock the go-live also takes)."""
    with transaction.atomic():
        _host_lock(session.host)
        stored = LiveSession.objects.select_for_update().get(pk=session.pk)
        if stored.status != Status.SCHEDULED:
            raise SessionRefused([_("Phiên đang ở trạng thái “%(status)s”: không sửa lịch được nữa.")
                                  % {"status": stored.get_status_display()}])
        problems = session_problems(session=session, products=[row["product"] for row in features])
        if problems:
            raise SessionRefused(problems)
        session.save(update_fields=[*SESSION_FIELDS, "updated_at"])
        _features_write(session=session, features=features)
        offers_sync(session=session)
    return session


def producer_session_after_end(*, session: LiveSession, replay_url: str, notes: str) -> LiveSession:
    """An ended session: the replay and the notes, nothing else."""
    with transaction.atomic():
        stored = LiveSession.objects.select_for_update().get(pk=session.pk)
        if stored.status != Status.ENDED:
            raise SessionRefused([_("Chỉ phiên đã kết thúc mới thêm được đường dẫn xem lại.")])
        stored.replay_url, stored.notes = replay_url, notes
        stored.save(update_fields=[*AFTER_END_FIELDS, "updated_at"])
    return stored


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
            session = producer_session_create(session=form.instance, features=features, producer=producer,
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
            producer_session_update(session=form.instance, features=features)
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
            producer_session_after_end(session=session, replay_url=form.cleaned_data["replay_url"],
                                       notes=form.cleaned_data["notes"])
        except SessionRefused as refused:
            messages.error(self.request, str(refused))
            return redirect("seller:live-edit", pk=session.pk)
        messages.success(self.request, _("Đã lưu."))
        return redirect("seller:live-edit", pk=session.pk)
