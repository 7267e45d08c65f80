"""Wagtail admin for OCOP certificates: programme staff record, renew and revoke them (registered in wagtail_hooks.py).

* Recording is a create form validated by the model (its constraints are explained in Vietnamese, field by field).
* Renewing opens the create form for the same product (``?product=<id>``): a renewal is a new certificate row.
* Revoking is done on the edit form (date + reason); once revoked, the revocation cannot be edited here.
* Only active staff with the model permissions may act; only superusers may delete (certificates are history).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from .certification import Status, default_expiry, ocop_today
from .models import Certificate, Product

STATUS_LABELS = {
    Status.CERTIFIED: _("Còn hiệu lực"),
    Status.EXPIRED: _("Hết hạn"),
    Status.REVOKED: _("Đã thu hồi"),
    Status.NOT_YET_VALID: _("Chưa có hiệu lực"),
    Status.NONE: _("Chưa chứng nhận"),
}
EXPIRING_SOON_LABEL = _("Sắp hết hạn")
EXPIRING_LIST_LABEL = format_lazy(_("Sắp hết hạn ({days} ngày)"), days=settings.OCOP_EXPIRING_SOON_DAYS)
EXPIRED_LIST_LABEL = _("Hết hạn, chờ đánh giá lại")

# Model constraint name -> (form field, clear message). The model stays the one place the rules live;
# this only says, in Vietnamese and next to the right field, which rule a value broke.
CONSTRAINT_MESSAGES = {
    "certificate_stars_3_to_5": ("stars", _("Hạng sao OCOP phải từ 3 đến 5 sao.")),
    "certificate_expires_after_issue": ("expires_on", _("Ngày hết hạn phải sau ngày quyết định (ngày cấp).")),
    "certificate_score_50_to_100": ("score", _("Điểm đánh giá phải từ 50 đến 100.")),
    "certificate_potential_five_needs_90": (
        "is_potential_five_star",
        _("Chỉ sản phẩm đạt từ 90 điểm trở lên mới được ghi nhận tiềm năng 5 sao: hãy nhập điểm đánh giá."),
    ),
    "certificate_revocation_has_reason": ("revocation_reason", _("Cần ghi lý do thu hồi khi nhập ngày thu hồi.")),
    "unique_certificate_decision_product": (
        "decision_number",
        _("Sản phẩm này đã có giấy chứng nhận theo số quyết định này."),
    ),
}


def status_label(certificate: Certificate) -> str:
    status = certificate.status()
    if status == Status.CERTIFIED and certificate.expires_on <= _expiring_horizon():
        return f"{STATUS_LABELS[status]} · {EXPIRING_SOON_LABEL}"
    return str(STATUS_LABELS[status])


def _expiring_horizon():
    return ocop_today() + dt.timedelta(days=settings.OCOP_EXPIRING_SOON_DAYS)


def renew_url(certificate: Certificate) -> str:
    return reverse("ocop_certificate:add") + "?" + urlencode({"product": certificate.product_id})


# ---------------------------------------------------------------- permissions
class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, and: only active staff may act at all; only superusers may delete.

    Producers are not staff, so even if they were given Wagtail admin access and the certificate permissions
    by mistake they could neither record nor edit a certificate.
    """

    def user_has_permission(self, user, action):
        if not (user.is_active and (user.is_staff or user.is_superuser)):
            return False
        if action == "delete":
            return user.is_superuser
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        superusers = users.filter(is_superuser=True)
        others = [action for action in actions if action != "delete"]
        if not others:
            return superusers
        staff = super().users_with_any_permission(others).filter(is_active=True, is_staff=True)
        return users.filter(Q(pk__in=staff.values("pk")) | Q(is_superuser=True)).distinct()


# ---------------------------------------------------------------- forms
class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_title() + (f" ({obj.upc})" if obj.upc else "")


class CertificateForm(WagtailAdminModelForm):
    """Record a certificate. A blank expiry date becomes 36 months less one day (catalogue.certification)."""

    product = ProductChoiceField(
        label=_("sản phẩm"),
        queryset=Product.objects.filter(parent=None).order_by("title"),
        help_text=_("Sản phẩm độc lập hoặc sản phẩm gốc (biến thể dùng giấy chứng nhận của sản phẩm gốc)."),
    )
    stars = forms.TypedChoiceField(
        label=_("hạng sao"),
        coerce=int,
        choices=[("", "---------"), (3, _("3 sao")), (4, _("4 sao")), (5, _("5 sao"))],
        error_messages={"invalid_choice": _("Hạng sao OCOP phải từ 3 đến 5 sao.")},
    )

    class Meta:
        model = Certificate
        fields = [
            "product",
            "decision_number",
            "issued_on",
            "issuing_level",
            "issuing_authority",
            "stars",
            "score",
            "is_potential_five_star",
            "expires_on",
            "scan",
        ]

    def clean(self):
        cleaned_data = super().clean()
        if "expires_on" in self.fields and not cleaned_data.get("expires_on") and cleaned_data.get("issued_on"):
            cleaned_data["expires_on"] = default_expiry(cleaned_data["issued_on"])
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()  # builds the instance and runs the model's full_clean (fields and constraints)
        self._explain_constraint_errors()

    def _explain_constraint_errors(self):
        errors = self._errors.get(NON_FIELD_ERRORS)
        if not errors:
            return
        kept = []
        for error in errors.as_data():
            explanation = self._explanation(error)
            if explanation is None:
                kept.append(error)
                continue
            field, message = explanation
            if field in self.fields and not self.fields[field].disabled:
                if field not in self._errors:
                    self.add_error(field, ValidationError(message, code="constraint"))
            else:
                kept.append(ValidationError(message, code="constraint"))
        if kept:
            self._errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield", renderer=self.renderer)
        else:
            del self._errors[NON_FIELD_ERRORS]

    @staticmethod
    def _explanation(error: ValidationError):
        unique_check = tuple((error.params or {}).get("unique_check", ()))
        if error.code in ("unique", "unique_together") and unique_check == ("product", "decision_number"):
            return CONSTRAINT_MESSAGES["unique_certificate_decision_product"]
        message = " ".join(error.messages)  # Django's default: 'Constraint “<name>” is violated.' (translated)
        for name, explanation in CONSTRAINT_MESSAGES.items():
            if name in message:
                return explanation
        return None


class CertificateEditForm(CertificateForm):
    """Correct a certificate, or revoke it (date + reason). A revocation, once recorded, is not edited here."""

    class Meta(CertificateForm.Meta):
        fields = CertificateForm.Meta.fields + ["revoked_on", "revocation_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.revoked_on:
            for name in ("revoked_on", "revocation_reason"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Giấy chứng nhận đã bị thu hồi; không sửa được việc thu hồi.")
        else:
            self.fields["revoked_on"].help_text = _(
                "Chỉ nhập khi thu hồi giấy chứng nhận. Khi thu hồi phải ghi lý do. Việc thu hồi là cuối cùng."
            )

    def clean(self):
        cleaned_data = super().clean()
        revoked_on, issued_on = cleaned_data.get("revoked_on"), cleaned_data.get("issued_on")
        reason = (cleaned_data.get("revocation_reason") or "").strip()
        if not self.fields["revoked_on"].disabled:
            if reason and not revoked_on and "revoked_on" not in self._errors:
                self.add_error("revoked_on", _("Nhập ngày thu hồi (hoặc xoá lý do thu hồi)."))
            if revoked_on and issued_on and revoked_on < issued_on:
                self.add_error("revoked_on", _("Ngày thu hồi không thể trước ngày quyết định (ngày cấp)."))
        return cleaned_data


# ---------------------------------------------------------------- filters
STAR_CHOICES = [(3, _("3 sao")), (4, _("4 sao")), (5, _("5 sao"))]


class CertificateFilterSet(WagtailFilterSet):
    stars = ChoiceFilter(label=_("Hạng sao"), choices=STAR_CHOICES, widget=forms.RadioSelect, empty_label=_("Tất cả"))
    issuing_level = ChoiceFilter(
        label=_("Cấp công nhận"), choices=Certificate.Level.choices, widget=forms.RadioSelect, empty_label=_("Tất cả")
    )

    class Meta:
        model = Certificate
        fields = ["stars", "issuing_level"]


class CertificateStatusFilterSet(CertificateFilterSet):
    VALID, EXPIRING, EXPIRED, REVOKED = "valid", "expiring", "expired", "revoked"

    status = ChoiceFilter(
        label=_("Trạng thái"),
        choices=[
            (VALID, _("Còn hiệu lực")),
            (EXPIRING, EXPIRING_LIST_LABEL),
            (EXPIRED, EXPIRED_LIST_LABEL),
            (REVOKED, _("Đã thu hồi")),
        ],
        method="filter_status",
        widget=forms.RadioSelect,
        empty_label=_("Tất cả"),
    )

    class Meta(CertificateFilterSet.Meta):
        fields = ["status", "stars", "issuing_level"]

    def filter_status(self, queryset, name, value):
        if value == self.VALID:
            return queryset.valid_on()
        if value == self.EXPIRING:
            return queryset.expiring_within(settings.OCOP_EXPIRING_SOON_DAYS)
        if value == self.EXPIRED:
            return queryset.expired_awaiting_reevaluation()
        if value == self.REVOKED:
            return queryset.filter(revoked_on__isnull=False)
        return queryset


# ---------------------------------------------------------------- views
class CertificateIndexView(IndexView):
    preset = None  # None (all), "expiring" or "expired"

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("product")
        if self.preset == "expiring":
            return queryset.expiring_within(settings.OCOP_EXPIRING_SOON_DAYS)
        if self.preset == "expired":
            return queryset.expired_awaiting_reevaluation()
        return queryset

    @cached_property
    def columns(self):
        columns = super().columns
        columns[0].sort_key = "product__title"  # not the product's own default ordering (newest first)
        return columns

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("add"):
            buttons.insert(
                0,
                ListingButton(
                    _("Gia hạn"),
                    url=renew_url(instance),
                    icon_name="rotate",
                    attrs={
                        "aria-label": _("Ghi nhận giấy chứng nhận mới (gia hạn) cho %(product)s")
                        % {"product": instance.product}
                    },
                    priority=5,
                ),
            )
        return buttons


class CertificateCreateView(CreateView):
    """Also the renewal view: ``?product=<id>`` preselects the product and copies the last issuing body."""

    @cached_property
    def renewed_product(self):
        product_id = self.request.GET.get("product", "")
        if not product_id.isdigit():
            return None
        return Product.objects.filter(pk=product_id, parent=None).first()

    def get_initial(self):
        initial = super().get_initial()
        if product := self.renewed_product:
            initial["product"] = product.pk
            if latest := product.certificates.current_first().first():
                initial["issuing_level"] = latest.issuing_level
                initial["issuing_authority"] = latest.issuing_authority
        return initial

    def get_page_subtitle(self):
        if product := self.renewed_product:
            return _("Gia hạn giấy chứng nhận: %(product)s") % {"product": product.get_title()}
        return super().get_page_subtitle()

    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class CertificateEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.user_has_permission("add"):
            renew = Button(_("Gia hạn (ghi nhận giấy mới)"), url=renew_url(self.object), icon_name="rotate", priority=5)
            buttons.insert(0, renew)
        return buttons


# ---------------------------------------------------------------- viewsets
class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "success"
    menu_label = _("Giấy chứng nhận OCOP")
    menu_name = "ocop-certificates"
    index_view_class = CertificateIndexView
    add_view_class = CertificateCreateView
    edit_view_class = CertificateEditView
    copy_view_enabled = False  # a renewal is a new decision, recorded from "Gia hạn", never a copy
    inspect_view_enabled = False
    list_per_page = 50
    list_display = [
        "product",
        "decision_number",
        Column("stars", label=_("Hạng sao"), sort_key="stars", accessor=lambda c: f"{c.stars}★"),
        "issued_on",
        "expires_on",
        StatusTagColumn(
            "status",
            label=_("Trạng thái"),
            accessor=status_label,
            primary=lambda c: c.status() == Status.CERTIFIED,
        ),
        "verification_code",
    ]
    list_export = [
        "product",
        "decision_number",
        "stars",
        "issuing_level",
        "issued_on",
        "expires_on",
        "revoked_on",
        "verification_code",
    ]
    search_fields = ["product__title", "decision_number"]
    search_backend_name = None  # plain ORM lookups (certificates are not in a search index)
    filterset_class = CertificateStatusFilterSet
    preset = None

    def get_form_class(self, for_update=False):
        return CertificateEditForm if for_update else CertificateForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(preset=self.preset, **kwargs)

    def get_permissions_to_register(self):
        # Deleting is for superusers only (CertificatePermissionPolicy): don't offer a "delete" checkbox to groups.
        return super().get_permissions_to_register().exclude(codename="delete_certificate")


class PresetCertificateViewSet(CertificateViewSet):
    """A second listing of the same certificates (expiring / expired); every other view is the main viewset's."""

    main_name = "ocop_certificate"
    filterset_class = CertificateFilterSet
    ordering = "expires_on"

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for view in ("add", "edit", "delete", "history", "usage"):
            view_kwargs[f"{view}_url_name"] = f"{self.main_name}:{view}"
        return view_kwargs

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(page_title=self.menu_label, **kwargs)

    def on_register(self):
        # Only the menu item: the URL finder, reference index and permissions belong to the main viewset.
        ViewSet.on_register(self)
