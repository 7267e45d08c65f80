"""Livestream administration in the Wagtail admin (/cms-admin/livestream/...): the "Livestream" menu group.

* Sessions: schedule a session and its featured products (an inline of rows: product through the certified-product
  chooser, position, pin, live price, total quantity, per-customer limit). The form refuses what
  ``services.session_problems`` refuses (a host booked twice, an end before the start, an uncertified product) and
  shows ``services.session_warnings`` after saving. Saving syncs the live-price offers (``services.offers_sync``)
  after the rows are written. An ended session changes only its replay and notes: every other field is locked and
  a changed value, or any change to its featured products, is refused.
* Host identity checks and quality documents: recorded with the saving staff member as "checked by" / "uploaded by".
* Complaints from the public session page: listed; staff write the answer (status → answered, by whom, when).

Views stay thin: the rules are the model's and livestream/services.py's. Registered in livestream/wagtail_hooks.py.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic.models import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from shop.money import dong_text

from .choosers import choosable_hosts, host_chooser_viewset, product_chooser_viewset, user_label
from .models import FeaturedProduct, HostIdentityCheck, LiveComplaint, LiveSession, QualityDocument
from .services import offers_sync, session_problems, session_slug_free, session_warnings

Status = LiveSession.Status
ConditionalOffer = get_model("offer", "ConditionalOffer")

ProductChooser = product_chooser_viewset.widget_class
HostChooser = host_chooser_viewset.widget_class

STATUS_PRIMARY = {Status.SCHEDULED, Status.LIVE}


def control_url(session: LiveSession) -> str:
    return reverse("livestream:control", kwargs={"slug": session.slug})


def report_url(session: LiveSession) -> str:
    return reverse("livestream:report", kwargs={"slug": session.slug})


def _local_minute(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment).replace(second=0, microsecond=0)


def _same(a, b) -> bool:
    """Equal as a person editing the form sees it: model instances by key, times to the minute, blank as blank."""
    a, b = getattr(a, "pk", a), getattr(b, "pk", b)
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return _local_minute(a) == _local_minute(b)
    return a == b or str(a) == str(b)


def _posted_changes(form: forms.BaseForm) -> list[str]:
    """The locked (disabled) fields whose posted value differs from the stored one. A browser never posts a
    disabled field, so anything posted there is an attempt to change it."""
    changed = []
    for name, field in form.fields.items():
        if not field.disabled:
            continue
        key = form.add_prefix(name)
        if isinstance(field.widget, forms.CheckboxInput) and key not in form.data:
            continue
        raw = field.widget.value_from_datadict(form.data, form.files, key)
        if raw is None:
            continue
        try:
            value = field.clean(raw)
        except ValidationError:
            changed.append(name)
            continue
        if not _same(value, form[name].initial):
            changed.append(name)
    return changed


# ---------------------------------------------------------------- sessions: the form
class LiveSessionForm(WagtailAdminModelForm):
    """The session and its featured products (the ``featured`` formset) in one form."""

    AFTER_END_EDITABLE = ("replay_url", "notes")
    FEATURE_FIELDS = ("product", "position", "is_pinned", "live_price", "quantity_limit", "per_customer_limit")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_status = self.instance.status if self.instance.pk else None
        self.offers_to_suspend: list[int] = []
        if "host" in self.fields:
            self.fields["host"].queryset = choosable_hosts()
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Để trống: tạo từ tiêu đề. Dùng trong địa chỉ /live/<đường dẫn>/.")
        if self.stored_status in (Status.LIVE, Status.ENDED) and "host" in self.fields:
            # the law: the host whose identity was checked at go-live stays the host
            self.fields["host"].disabled = True
            self.fields["host"].help_text = _("Phiên đã phát: không đổi người dẫn được.")
        if self.is_ended:
            for name, field in self.fields.items():
                if name not in self.AFTER_END_EDITABLE:
                    field.disabled = True
                    field.help_text = _("Phiên đã kết thúc: không sửa được.")
            for child in self.featured_formset.forms:
                for name in self.FEATURE_FIELDS:
                    if name in child.fields:
                        child.fields[name].disabled = True

    @property
    def is_ended(self) -> bool:
        return self.stored_status == Status.ENDED

    @property
    def featured_formset(self):
        return self.formsets["featured"]

    # ---- validation
    def clean(self):
        cleaned_data = super().clean()
        if self.is_ended:
            self._refuse_changes_after_end()
            for name, field in self.fields.items():
                if field.disabled:  # exactly as stored (the form's initial drops microseconds)
                    cleaned_data[name] = getattr(self.instance, name)
            return cleaned_data
        self._keep_unchanged_times(cleaned_data)
        if not cleaned_data.get("slug") and cleaned_data.get("title") and "slug" not in self._errors:
            cleaned_data["slug"] = session_slug_free(cleaned_data["title"], exclude_pk=self.instance.pk)
        formset = self.featured_formset
        if not formset.is_valid():
            return cleaned_data  # the rows show their own errors
        kept = [f for f in formset.forms if f.cleaned_data.get("product") and not formset._should_delete_form(f)]
        self._check_rows(formset, kept)
        self._check_schedule(cleaned_data, kept)
        return cleaned_data

    def _keep_unchanged_times(self, cleaned_data):
        """The admin's date-time input shows minutes: an untouched time keeps its stored seconds (and the
        calendar SEQUENCE is not raised for nothing)."""
        if not self.instance.pk:
            return
        for name in ("scheduled_start", "scheduled_end"):
            value, stored = cleaned_data.get(name), getattr(self.instance, name)
            if value and stored and _same(value, stored):
                cleaned_data[name] = stored

    def _refuse_changes_after_end(self):
        changed = [LiveSession._meta.get_field(name).verbose_name for name in _posted_changes(self)]
        if changed:
            self.add_error(None, ValidationError(
                _("Phiên đã kết thúc: chỉ sửa được đường dẫn xem lại và ghi chú (đã đổi: %(fields)s).")
                % {"fields": ", ".join(str(label) for label in changed)},
                code="ended",
            ))
        formset = self.featured_formset
        formset.is_valid()  # cleans the rows (locked ones keep their stored values)
        rows_changed = False
        for child in formset.forms:
            if not child.instance.pk:
                rows_changed = rows_changed or child.has_changed()
            elif formset.can_delete and formset._should_delete_form(child):
                rows_changed = True
            elif _posted_changes(child):
                rows_changed = True
        if rows_changed:
            self.add_error(None, ValidationError(
                _("Phiên đã kết thúc: không sửa được sản phẩm giới thiệu, ghim và giá live."), code="ended"
            ))

    def _check_rows(self, formset, kept):
        if sum(1 for f in kept if f.cleaned_data.get("is_pinned")) > 1:
            self.add_error(None, ValidationError(_("Chỉ ghim được một sản phẩm mỗi lúc."), code="pins"))
        for child in kept:
            if child.has_changed():
                self._check_row_prices(child)
        self.offers_to_suspend = []
        for child in formset.forms:
            feature = child.instance
            if not feature.pk:
                continue
            deleted = formset._should_delete_form(child)
            moved = not deleted and "product" in child.changed_data
            if not (deleted or moved):
                continue
            if feature.claims.exists():
                self.add_error(None, ValidationError(
                    _("“%(title)s” đã có đơn mua với giá live trong phiên này: không bỏ hay đổi sản phẩm ở dòng này "
                      "được (có thể để trống giá live).")
                    % {"title": FeaturedProduct.objects.get(pk=feature.pk).product.get_title()},
                    code="claimed",
                ))
            elif feature.offer_id:
                self.offers_to_suspend.append(feature.offer_id)

    @staticmethod
    def _check_row_prices(child):
        """A live price below the current price; limits only with a live price, the per-customer one within the
        total (as in the producers' own session form)."""
        data = child.cleaned_data
        product, price = data["product"], data.get("live_price")
        total, each = data.get("quantity_limit"), data.get("per_customer_limit")
        if price is None:
            if total or each:
                child.add_error("live_price", _("Giới hạn số suất chỉ dùng khi có giá live."))
            return
        record = product.stockrecords.order_by("pk").first()
        if record is not None and record.price is not None and price >= record.price:
            child.add_error("live_price", _("Giá live phải thấp hơn giá hiện tại của “%(title)s” (%(price)s).")
                            % {"title": product.get_title(), "price": dong_text(record.price)})
        if total and each and each > total:
            child.add_error("per_customer_limit", _("Số tối đa mỗi khách không được lớn hơn tổng số suất."))

    def _check_schedule(self, cleaned_data, kept):
        if self.stored_status == Status.CANCELLED:
            return  # never goes live again: only its texts change
        start, end = cleaned_data.get("scheduled_start"), cleaned_data.get("scheduled_end")
        if start and end and end <= start:
            end = None  # the model reports it on the end field; an overlap of reversed times means nothing
        candidate = LiveSession(pk=self.instance.pk, host=cleaned_data.get("host"), scheduled_start=start,
                                scheduled_end=end)
        if self.stored_status == Status.LIVE:  # on air: only products added or swapped now must be certified
            rows = [f for f in kept if not f.instance.pk or "product" in f.changed_data]
        else:
            rows = kept
        live_priced = [f.cleaned_data["product"] for f in kept if f.cleaned_data.get("live_price")]
        for problem in session_problems(session=candidate, products=[f.cleaned_data["product"] for f in rows],
                                        live_priced=live_priced):
            self.add_error(None, ValidationError(problem, code="schedule"))


# ---------------------------------------------------------------- sessions: views
class ControlColumn(Column):
    cell_template_name = "livestream/admin/control_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["control_url"] = control_url(instance)
        return context


class SessionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("host")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.insert(0, Button(_("Điều khiển phiên"), url=control_url(instance), icon_name="media", priority=1))
        buttons.insert(1, Button(_("Báo cáo"), url=report_url(instance), icon_name="table", priority=2))
        buttons.insert(2, Button(_("Xem trang phiên"), url=instance.get_absolute_url(), icon_name="view", priority=3))
        return buttons


class ScheduleClash(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


class SessionSaveMixin:
    """The host's row is locked and the overlap checked again, so two forms sent together cannot both book the
    host. Pins: the stored pin is cleared first so moving it never breaks "one pin per session" mid-save; then the
    rows, then the live-price offers (rows removed or switched to another product give up their offer)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)  # save_instance runs inside its transaction
        except ScheduleClash as clash:
            for problem in clash.problems:
                form.add_error(None, problem)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def save_instance(self):
        form = self.form
        session = form.instance
        if session.pk:  # go-live, end or cancel may have happened since this form was loaded: never undo them
            stored = LiveSession.objects.select_for_update().get(pk=session.pk)
            if stored.status != form.stored_status:
                raise ScheduleClash([_("Phiên vừa chuyển sang “%(status)s” trong lúc bạn sửa. Vui lòng tải lại trang "
                                       "rồi sửa lại.") % {"status": stored.get_status_display()}])
            for name in ("status", "actual_start", "actual_end", "replay_retained_until"):
                setattr(session, name, getattr(stored, name))
        if session.status not in (Status.ENDED, Status.CANCELLED):
            get_user_model().objects.select_for_update().filter(pk=session.host_id).values_list("pk").first()
            if problems := session_problems(session=session, products=[]):
                raise ScheduleClash(problems)
        if session.pk:
            FeaturedProduct.objects.filter(session_id=session.pk, is_pinned=True).update(is_pinned=False)
            for child in form.featured_formset.forms:
                if child.instance.pk and child.instance.offer_id in form.offers_to_suspend:
                    child.instance.offer = None
        else:
            session.created_by = self.request.user
        instance = super().save_instance()
        if form.offers_to_suspend:
            ConditionalOffer.objects.filter(pk__in=form.offers_to_suspend).update(status=ConditionalOffer.SUSPENDED)
        offers_sync(session=instance)
        return instance

    def save_action(self):
        session = self.object
        if session.status in (Status.SCHEDULED, Status.LIVE):
            products = [feature.product for feature in session.featured.select_related("product")]
            for warning in session_warnings(session=session, products=products):
                messages.warning(self.request, warning)
        return super().save_action()


class SessionCreateView(SessionSaveMixin, CreateView):
    page_title = _("Lên lịch")
    success_message = _("Đã lên lịch phiên livestream “%(object)s”.")
    error_message = _("Chưa lưu được phiên livestream: hãy xem các lỗi bên dưới.")


class SessionEditView(SessionSaveMixin, EditView):
    success_message = _("Đã lưu phiên livestream “%(object)s”.")
    error_message = _("Chưa lưu được phiên livestream: hãy xem các lỗi bên dưới.")

    @cached_property
    def header_buttons(self):
        return [HeaderButton(_("Điều khiển phiên"), url=control_url(self.object), icon_name="media")]

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.insert(0, Button(_("Báo cáo"), url=report_url(self.object), icon_name="table", priority=1))
        buttons.insert(1, Button(_("Xem trang phiên"), url=self.object.get_absolute_url(), icon_name="view",
                                 priority=2))
        return buttons


class SessionDeleteView(DeleteView):
    """Deleting is for a session scheduled by mistake. One that went live, or that shoppers, buyers or
    complainants already know of, is cancelled instead (its reminders and calendars are then told)."""

    def refusal(self):
        session = self.object
        if session.status not in (Status.SCHEDULED, Status.CANCELLED) or session.actual_start:
            return _("Phiên đã phát: không xoá được (bản ghi phải lưu 3 năm).")
        if session.complaints.exists() or session.orders.exists() or session.reminders.exists():
            return _("Phiên đã có khiếu nại, đơn hàng hoặc người đăng ký nhắc lịch: hãy huỷ phiên thay vì xoá.")
        return None

    def get(self, request, *args, **kwargs):
        if refusal := self.refusal():
            messages.error(request, refusal)
            return redirect(self.edit_url_name, self.object.pk)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if refusal := self.refusal():
            messages.error(request, refusal)
            return redirect(self.edit_url_name, self.object.pk)
        return super().post(request, *args, **kwargs)

    def delete_action(self):
        offers = list(FeaturedProduct.objects.filter(session=self.object, offer__isnull=False)
                      .values_list("offer_id", flat=True))
        super().delete_action()
        ConditionalOffer.objects.filter(pk__in=offers).update(status=ConditionalOffer.SUSPENDED)


def _status_tag(session: LiveSession) -> str:
    return session.get_status_display()


class LiveSessionViewSet(ModelViewSet):
    model = LiveSession
    icon = "media"
    menu_label = _("Phiên livestream")
    menu_name = "livestream-sessions"
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_per_page = 50
    ordering = "-scheduled_start"
    list_display = [
        "title",
        Column("host", label=_("người dẫn"), accessor=lambda s: user_label(s.host)),
        "scheduled_start",
        "platform",
        StatusTagColumn("status", label=_("trạng thái"), accessor=_status_tag,
                        primary=lambda s: s.status in STATUS_PRIMARY),
        ControlColumn("control", label=_("Điều khiển")),
    ]
    list_filter = ["status", "platform"]
    search_fields = ["title", "slug", "host__email"]
    search_backend_name = None  # plain ORM lookups
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("host", widget=HostChooser), FieldPanel("producer"), FieldPanel("platform"),
             FieldPanel("stream_url")],
            heading=_("Người dẫn và nơi phát"),
        ),
        FieldRowPanel([FieldPanel("scheduled_start"), FieldPanel("scheduled_end")], heading=_("Lịch phát")),
        InlinePanel(
            "featured",
            heading=_("Sản phẩm giới thiệu"),
            label=_("sản phẩm"),
            panels=[
                FieldPanel("product", widget=ProductChooser),
                FieldRowPanel([FieldPanel("position"), FieldPanel("is_pinned")]),
                FieldRowPanel([FieldPanel("live_price"), FieldPanel("quantity_limit"),
                               FieldPanel("per_customer_limit")]),
            ],
        ),
        MultiFieldPanel(
            [FieldPanel("status", read_only=True),
             FieldRowPanel([FieldPanel("actual_start", read_only=True), FieldPanel("actual_end", read_only=True)]),
             FieldPanel("replay_url"), FieldPanel("replay_retained_until", read_only=True), FieldPanel("notes")],
            heading=_("Trạng thái, xem lại và ghi chú"),
        ),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=LiveSessionForm).bind_to_model(self.model)


# ---------------------------------------------------------------- host identity checks
class RecordedByCreateView(CreateView):
    """Sets the saving staff member on a model field (``recorded_by_field``) when the row is created."""

    recorded_by_field = None

    def save_instance(self):
        setattr(self.form.instance, self.recorded_by_field, self.request.user)
        return super().save_instance()


class IdentityCheckCreateView(RecordedByCreateView):
    recorded_by_field = "checked_by"

    def get_initial(self):
        initial = super().get_initial()
        initial.setdefault("checked_on", timezone.localdate())
        user_id = self.request.GET.get("user", "")
        if user_id.isdigit():
            initial["user"] = user_id
        return initial


class IdentityCheckEditView(EditView):
    def save_instance(self):
        if {"user", "method", "checked_on"} & set(self.form.changed_data):
            self.form.instance.checked_by = self.request.user  # a new verification: whoever records it now
        return super().save_instance()


class IdentityCheckForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = choosable_hosts()


class HostIdentityCheckViewSet(ModelViewSet):
    model = HostIdentityCheck
    icon = "user"
    menu_label = _("Xác minh danh tính người dẫn")
    menu_name = "livestream-identity-checks"
    add_view_class = IdentityCheckCreateView
    edit_view_class = IdentityCheckEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        Column("user", label=_("người dẫn"), accessor=lambda c: user_label(c.user)),
        "method",
        "checked_on",
        Column("checked_by", label=_("người xác minh"), accessor=lambda c: user_label(c.checked_by)),
        "note",
    ]
    list_filter = ["method"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "note"]
    search_backend_name = None
    panels = [
        FieldPanel("user", widget=HostChooser),
        FieldRowPanel([FieldPanel("method"), FieldPanel("checked_on")]),
        FieldPanel("note"),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=IdentityCheckForm).bind_to_model(self.model)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=HostIdentityCheck.objects.select_related("user", "checked_by"), **kwargs
        )


# ---------------------------------------------------------------- quality documents
class QualityDocumentCreateView(RecordedByCreateView):
    recorded_by_field = "uploaded_by"

    def get_initial(self):
        initial = super().get_initial()
        product_id = self.request.GET.get("product", "")
        if product_id.isdigit():
            initial["product"] = product_id
        return initial


class QualityDocumentViewSet(ModelViewSet):
    model = QualityDocument
    icon = "doc-full"
    menu_label = _("Giấy tờ chất lượng")
    menu_name = "livestream-quality-documents"
    add_view_class = QualityDocumentCreateView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["title", "product", "kind", "issued_on", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "product__title"]
    search_backend_name = None
    panels = [
        FieldPanel("product", widget=ProductChooser),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("issued_on")]),
        FieldPanel("title"),
        FieldPanel("file"),
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=QualityDocument.objects.select_related("product"), **kwargs)


# ---------------------------------------------------------------- complaints
class ComplaintPermissionPolicy(ModelPermissionPolicy):
    """Complaints come only from the public form (nobody adds them here) and are kept: only superusers delete."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        if action == "delete":
            return user.is_active and user.is_superuser
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        others = [action for action in actions if action not in ("add", "delete")]
        users = super().users_with_any_permission(others) if others else self.user_model.objects.none()
        if "delete" in actions:
            users = users | self.user_model.objects.filter(is_active=True, is_superuser=True)
        return users.distinct()


class ReadOnlyPanel(FieldPanel):
    """A read-only field shown with a dash when empty (never "None")."""

    def __init__(self, field_name, *args, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(field_name, *args, **kwargs)

    def format_value_for_display(self, value):
        if value in (None, ""):
            return "—"
        return super().format_value_for_display(value)


class ComplaintForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "answer" in self.fields:
            self.fields["answer"].required = True
            self.fields["answer"].help_text = _("Lưu câu trả lời: khiếu nại chuyển sang “Đã trả lời”.")


def complaint_title(complaint: LiveComplaint) -> str:
    return f"{complaint.name} · {complaint.session.title}"


class ComplaintEditView(EditView):
    success_message = _("Đã lưu câu trả lời khiếu nại.")

    def get_page_subtitle(self):
        return complaint_title(self.object)

    def save_instance(self):
        complaint = self.form.instance
        if "answer" in self.form.changed_data or complaint.status != LiveComplaint.Status.ANSWERED:
            complaint.status = LiveComplaint.Status.ANSWERED
            complaint.answered_by = self.request.user
            complaint.answered_at = timezone.now()
        return super().save_instance()


class ComplaintDeleteView(DeleteView):
    def get_page_subtitle(self):
        return complaint_title(self.object)


def _contact(complaint: LiveComplaint) -> str:
    return " · ".join(part for part in (complaint.email, complaint.phone) if part)


def _message_excerpt(complaint: LiveComplaint) -> str:
    text = " ".join(complaint.message.split())
    return text if len(text) <= 120 else text[:119] + "…"


class ComplaintFilterSet(WagtailFilterSet):
    status = ChoiceFilter(label=_("Trạng thái"), choices=LiveComplaint.Status.choices, empty_label=_("Tất cả"))
    session = ModelChoiceFilter(label=_("Phiên livestream"), queryset=LiveSession.objects.order_by("-scheduled_start"))

    class Meta:
        model = LiveComplaint
        fields = ["status", "session"]


class LiveComplaintViewSet(ModelViewSet):
    model = LiveComplaint
    icon = "warning"
    menu_label = _("Khiếu nại")
    menu_name = "livestream-complaints"
    edit_view_class = ComplaintEditView
    delete_view_class = ComplaintDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    ordering = "-created_at"
    list_display = [
        Column("session", label=_("phiên livestream"), accessor=lambda c: c.session.title),
        "name",
        Column("contact", label=_("liên hệ"), accessor=_contact),
        Column("message", label=_("nội dung"), accessor=_message_excerpt),
        StatusTagColumn("status", label=_("trạng thái"), accessor=lambda c: c.get_status_display(),
                        primary=lambda c: c.status == LiveComplaint.Status.OPEN),
        DateColumn("created_at", label=_("gửi lúc"), sort_key="created_at"),
    ]
    filterset_class = ComplaintFilterSet
    search_fields = ["name", "email", "phone", "message", "session__title"]
    search_backend_name = None
    panels = [
        MultiFieldPanel(
            [ReadOnlyPanel("session", heading=_("Phiên livestream")), ReadOnlyPanel("name"),
             FieldRowPanel([ReadOnlyPanel("email"), ReadOnlyPanel("phone")]),
             ReadOnlyPanel("message"), ReadOnlyPanel("created_at", heading=_("Gửi lúc"))],
            heading=_("Khiếu nại"),
        ),
        FieldPanel("answer"),
        MultiFieldPanel(
            [ReadOnlyPanel("status"), ReadOnlyPanel("answered_by", heading=_("Người trả lời")),
             ReadOnlyPanel("answered_at", heading=_("Trả lời lúc"))],
            heading=_("Đã xử lý"),
        ),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=ComplaintForm).bind_to_model(self.model)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=LiveComplaint.objects.select_related("session", "answered_by"), **kwargs
        )
