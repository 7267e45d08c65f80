from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FulfilmentPart


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Đơn vị vận chuyển"), max_length=64, required=False)
    tracking_number = forms.CharField(label=_("Mã vận đơn"), max_length=64, required=False)


class CashForm(forms.Form):
    amount = forms.DecimalField(label=_("Số tiền đã thu (₫)"), max_digits=12, decimal_places=0, min_value=0)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do huỷ"), max_length=255, required=False)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one input (Django's documented pattern), each checked and re-encoded like product photos."""

    def __init__(self, *args, max_files=5, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleImageInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > self.max_files:
            raise forms.ValidationError(_("Tối đa %(n)s ảnh.") % {"n": self.max_files})
        from catalogue.images import ImageRefused, image_accept  # the one check every uploaded photo goes through

        try:
            return [image_accept(f) for f in files]
        except ImageRefused as refused:
            raise forms.ValidationError(str(refused))


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả hàng"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleImageField(label=_("Ảnh chụp sản phẩm (tối đa 5)"), required=False)


class ComplaintForm(forms.Form):
    part = forms.ModelChoiceField(
        label=_("Về phần đơn"), queryset=FulfilmentPart.objects.none(), required=False, empty_label=_("Cả đơn hàng")
    )
    message = forms.CharField(label=_("Nội dung khiếu nại"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        if order is not None:
            self.fields["part"].queryset = order.parts.select_related("producer")  # labels name the producer
            self.fields["part"].label_from_instance = lambda p: p.producer.name
