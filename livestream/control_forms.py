"""Small forms of the session control page (livestream/views/control.py). Each button posts ``action``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FeaturedProduct

GO_LIVE, PIN, END, CANCEL = "go_live", "pin", "end", "cancel"
ACTIONS = (GO_LIVE, PIN, END, CANCEL)


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])


class PinForm(forms.Form):
    """One of this session's featured products, or none (unpin)."""

    featured = forms.ModelChoiceField(
        queryset=FeaturedProduct.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Sản phẩm này không thuộc phiên live.")},
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["featured"].queryset = FeaturedProduct.objects.filter(session=session)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do huỷ"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy ghi lý do huỷ phiên.")},
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Hãy ghi lý do huỷ phiên."))
        return reason
