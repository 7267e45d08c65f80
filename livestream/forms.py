"""Shoppers' forms on a session page: add a featured product to the basket, and the complaint channel (Law on
E-commerce 122/2025/QH15). Reminders have their own form module."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.checkout.forms import vietnamese_phone

MAX_ADD_QUANTITY = 99


class SessionAddForm(forms.Form):
    product_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        label=_("Số lượng"), min_value=1, max_value=MAX_ADD_QUANTITY, initial=1,
        error_messages={
            "required": _("Vui lòng nhập số lượng."),
            "invalid": _("Số lượng phải là số nguyên."),
            "min_value": _("Số lượng ít nhất là 1."),
            "max_value": _("Mỗi lần thêm tối đa %(limit_value)s sản phẩm."),
        },
    )


def complaint_key() -> str:
    """A one-time key rendered into each complaint form: the same form posted twice makes one complaint."""
    return secrets.token_urlsafe(16)


class ComplaintForm(forms.Form):
    name = forms.CharField(
        label=_("Họ tên"), max_length=120,
        error_messages={"required": _("Vui lòng nhập họ tên."),
                        "max_length": _("Họ tên dài tối đa %(limit_value)d ký tự.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"), required=False, error_messages={"invalid": _("Email không hợp lệ.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Điện thoại"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=_("Nội dung khiếu nại"), max_length=4000,
        error_messages={"required": _("Vui lòng nhập nội dung khiếu nại."),
                        "max_length": _("Nội dung dài tối đa %(limit_value)d ký tự.")},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sản phẩm, thời điểm trong phiên live và điều bạn muốn chợ giải quyết."),
    )
    # one-time: a cached page gets a fresh key for each visitor (shop/caching/pages.py)
    key = forms.CharField(widget=forms.HiddenInput(attrs={"data-one-time": True}), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", complaint_key())

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Vui lòng nhập họ tên."), code="required")
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return vietnamese_phone(phone) if phone else ""

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Vui lòng nhập nội dung khiếu nại."), code="required")
        return message

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors \
                and "phone" not in self.errors:
            raise forms.ValidationError(
                _("Vui lòng để lại email hoặc số điện thoại để chúng tôi trả lời."), code="contact"
            )
        return cleaned
