from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.search import PRICE_BANDS, SORTS


class BrowseForm(forms.Form):
    """The listing's query string. Unknown or malformed values are ignored rather than failing the page."""

    q = forms.CharField(required=False, max_length=200, label=_("Tìm kiếm"))
    group = forms.IntegerField(required=False, min_value=1, max_value=99)
    stars = forms.IntegerField(required=False, min_value=3, max_value=5)
    area = forms.CharField(required=False, max_length=128)
    price = forms.ChoiceField(required=False, choices=[("", "")] + [(k, label) for k, label, *_ in PRICE_BANDS])
    in_stock = forms.BooleanField(required=False)
    at_showroom = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=list(SORTS.items()), label=_("Sắp xếp"))
    page = forms.IntegerField(required=False, min_value=1)

    def cleaned_or_default(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if name not in self.errors}
