"""The one-page checkout form: who, where (province → commune/ward), when (visits), how to pay, and the consent to
the personal data notice (users/privacy/)."""

import datetime as dt

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.certification import ocop_today
from catalogue.models import AdministrativeUnit
from shop.payments.gateways import DEFAULT_METHOD, gateways_available


def vietnamese_phone(value: str) -> str:
    """0912 345 678, +84 912 345 678 → +84912345678; anything else is refused with an example."""
    message = _("Số điện thoại không hợp lệ. Ví dụ: 0912 345 678.")
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        raise forms.ValidationError(message, code="phone")
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(message, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ShowroomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, showroom):
        return f"{showroom.name} · {showroom.full_address}"


class CheckoutForm(forms.Form):
    SHIP, PICKUP = "ship", "pickup"

    delivery_method = forms.ChoiceField(
        label=_("Cách nhận hàng"),
        choices=[(SHIP, _("Giao tận nơi")), (PICKUP, _("Nhận tại điểm bán OCOP (miễn phí giao hàng)"))],
        widget=forms.RadioSelect,
        initial=SHIP,
        required=False,  # offered only when a showroom could hand the basket over; missing means delivery
    )
    pickup_showroom = ShowroomChoiceField(
        label=_("Điểm bán"),
        queryset=None,
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Điểm bán này không còn đủ hàng cho đơn của bạn. Vui lòng chọn điểm khác.")},
    )
    email = forms.EmailField(label=_("Email (nhận xác nhận đơn hàng)"))
    full_name = forms.CharField(label=_("Họ và tên người nhận"), max_length=120)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20)
    province = forms.ModelChoiceField(
        label=_("Tỉnh/Thành phố"),
        queryset=AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.PROVINCE).order_by("name"),
        empty_label=_("Chọn tỉnh/thành phố"),
    )
    commune = forms.ModelChoiceField(
        label=_("Xã/Phường/Đặc khu"),
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("Chọn xã/phường"),
        error_messages={"invalid_choice": _("Xã/phường này không thuộc tỉnh đã chọn.")},
    )
    street = forms.CharField(label=_("Số nhà, đường, ấp/khóm"), max_length=255)
    visit_date = forms.DateField(
        label=_("Ngày tham quan"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    age_confirmed = forms.BooleanField(label=_("Tôi xác nhận đã đủ 18 tuổi."), required=False)
    payment_method = forms.ChoiceField(label=_("Phương thức thanh toán"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Ghi chú cho người bán"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    privacy_consent = forms.BooleanField(  # Decree 13/2023/NĐ-CP; the template links the notice in the label
        label=_("Tôi đã đọc và đồng ý với Thông báo xử lý dữ liệu cá nhân"),
        error_messages={"required": _("Vui lòng đánh dấu ô đồng ý với Thông báo xử lý dữ liệu cá nhân để đặt hàng.")},
    )
    checkout_token = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, needs_visit_date=False, needs_age_check=False, needs_address=True,
                 pickup_showrooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        asked_pickup = self.is_bound and self.data.get(self.add_prefix("delivery_method")) == self.PICKUP
        if pickup_showrooms or asked_pickup:  # asked for but no longer possible: the choice says why
            from showrooms.models import Showroom

            self.fields["pickup_showroom"].queryset = Showroom.objects.filter(
                pk__in=[s.pk for s in pickup_showrooms]
            ).select_related("area", "area__parent")
            self.pickup_showroom_list = list(pickup_showrooms)
        else:  # nothing to pick up anywhere (or only visits): delivery it is
            del self.fields["delivery_method"]
            del self.fields["pickup_showroom"]
            self.pickup_showroom_list = []
        self.needs_visit_date = needs_visit_date
        self.needs_age_check = needs_age_check
        gateways = gateways_available()
        self.fields["payment_method"].choices = [(g.method, g.label) for g in gateways]
        self.fields["payment_method"].initial = DEFAULT_METHOD
        self.gateway_descriptions = {g.method: g.description for g in gateways}
        if user is not None and user.is_authenticated:
            del self.fields["email"]
        if not needs_visit_date:
            del self.fields["visit_date"]
        else:
            self.fields["visit_date"].required = True
        if not needs_age_check:
            del self.fields["age_confirmed"]
        else:
            self.fields["age_confirmed"].required = True
            self.fields["age_confirmed"].error_messages["required"] = _(
                "Đơn có đồ uống có cồn: bạn cần xác nhận đã đủ 18 tuổi."
            )
        province_id = self.data.get(self.add_prefix("province")) or self.initial.get("province")
        if province_id:
            self.fields["commune"].queryset = AdministrativeUnit.objects.filter(
                level=AdministrativeUnit.Level.COMMUNE, parent_id=getattr(province_id, "pk", province_id)
            ).order_by("name")
        if not needs_address or self.is_pickup:  # only visits, or collected at a showroom: name and phone suffice
            for name in ("province", "commune", "street"):
                self.fields[name].required = False

    @property
    def is_pickup(self) -> bool:
        if "delivery_method" not in self.fields:
            return False
        value = self.data.get(self.add_prefix("delivery_method")) if self.is_bound else self.initial.get("delivery_method")
        return value == self.PICKUP

    def clean_phone(self):
        return vietnamese_phone(self.cleaned_data["phone"])

    def clean_visit_date(self):
        day = self.cleaned_data.get("visit_date")
        if day and day <= ocop_today():
            raise forms.ValidationError(_("Ngày tham quan phải từ ngày mai trở đi."))
        if day and day > ocop_today() + dt.timedelta(days=365):
            raise forms.ValidationError(_("Chỉ đặt lịch tham quan trong vòng một năm."))
        return day

    def clean(self):
        data = super().clean()
        if self.is_pickup:
            if not data.get("pickup_showroom") and "pickup_showroom" not in self.errors:
                self.add_error("pickup_showroom", _("Vui lòng chọn điểm bán để nhận hàng."))
            return data
        data.pop("pickup_showroom", None)
        province, commune = data.get("province"), data.get("commune")
        if province and commune and commune.parent_id != province.pk:
            self.add_error("commune", _("Xã/phường này không thuộc tỉnh đã chọn."))
        return data
