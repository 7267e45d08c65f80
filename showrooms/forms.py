"""Forms of the showroom stock screen. Each carries a one-time ``request_key``: the same form sent twice (a double
tap, a resend on a bad connection) is one movement, because the services take the key."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.listings.forms import WholeNumberField

MAX_QUANTITY = 100_000


class QuantityField(WholeNumberField):
    """A count of units as clerks type it ("1.200" is 1200), with the clerk's own words when it is wrong."""

    def __init__(self, *, min_value=1, **kwargs):
        kwargs.setdefault("label", _("Số lượng"))
        messages = {
            "required": _("Nhập số lượng."),
            "min_value": _("Số lượng phải lớn hơn 0.") if min_value else _("Số lượng không được âm."),
            "max_value": _("Số lượng quá lớn (tối đa %(limit_value)s)."),
        }
        super().__init__(min_value=min_value, max_value=MAX_QUANTITY, error_messages=messages, **kwargs)
        self.widget.attrs.update({"autocomplete": "off", "enterkeyhint": "done", "pattern": "[0-9.]*"})

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(_("Nhập một số nguyên, ví dụ 5."), code="invalid")


class StockForm(forms.Form):
    """The base of every stock form: the one-time key, made fresh for each form shown."""

    request_key = forms.CharField(
        widget=forms.HiddenInput, max_length=64,
        error_messages={"required": _("Biểu mẫu đã cũ. Vui lòng tải lại trang rồi thử lại.")},
    )

    def __init__(self, data=None, **kwargs):
        if data is None:
            kwargs["initial"] = {"request_key": uuid.uuid4().hex, **kwargs.get("initial", {})}
        super().__init__(data, **kwargs)

    def first_error(self) -> str:
        for errors in self.errors.values():
            for error in errors:
                return error
        return ""


class StepForm(StockForm):
    """+1 / −1: a stock count correction of one unit (the button says which)."""


class QuantityForm(StockForm):
    """Sell, receive a delivery, write off damaged goods or goods returned to the producer."""

    quantity = QuantityField()
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class CountForm(StockForm):
    counted = QuantityField(label=_("Số đếm được trên kệ"), min_value=0)


class TransferForm(StockForm):
    quantity = QuantityField()
    destination = forms.ChoiceField(
        label=_("Chuyển đến"), choices=(),
        error_messages={"required": _("Chọn điểm nhận."), "invalid_choice": _("Chọn một điểm bán bạn được phân công.")},
    )

    def __init__(self, data=None, *, destinations, **kwargs):
        super().__init__(data, **kwargs)
        self.destinations = {showroom.code: showroom for showroom in destinations}
        self.fields["destination"].choices = [("", _("Chọn điểm nhận"))] + [
            (showroom.code, showroom.name) for showroom in destinations
        ]

    def clean_destination(self):
        return self.destinations[self.cleaned_data["destination"]]


class HandOverForm(StockForm):
    """A pickup part collected at the counter; cash on pickup needs the clerk's tick that the money is in."""

    cash_received = forms.BooleanField(required=False)
