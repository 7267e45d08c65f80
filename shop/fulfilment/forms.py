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


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả hàng"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = forms.ImageField(
        label=_("Ảnh chụp sản phẩm (tối đa 5)"), required=False, widget=MultipleImageInput(attrs={"multiple": True})
    )

    def clean_photos(self):
        files = self.files.getlist(self.add_prefix("photos"))
        if len(files) > 5:
            raise forms.ValidationError(_("Tối đa 5 ảnh."))
        field = forms.ImageField()
        return [field.clean(f) for f in files]


class ComplaintForm(forms.Form):
    part = forms.ModelChoiceField(
        label=_("Về phần đơn"), queryset=FulfilmentPart.objects.none(), required=False, empty_label=_("Cả đơn hàng")
    )
    message = forms.CharField(label=_("Nội dung khiếu nại"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        if order is not None:
            self.fields["part"].queryset = order.parts.all()
            self.fields["part"].label_from_instance = lambda p: p.producer.name
