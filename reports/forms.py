"""Forms of the programme office's ledger screens (reports/views/entry.py)."""

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue.models import Product
from shop.listings.forms import ExternalSaleForm

from .models import PlanTarget
from .periods import quarter_of

Partner = get_model("partner", "Partner")
FIRST_YEAR, LAST_YEAR = 2018, 2100  # a plan year outside these is a typo


def producers_for_entry():
    """Producers staff may enter a sale for: every approved producer."""
    return Partner.objects.filter(approved_at__isnull=False).order_by("name", "pk")


def products_for_entry():
    """Products a sale can be of: any producer's product that is not a parent of variants."""
    return (Product.objects.filter(producer__isnull=False, producer__approved_at__isnull=False)
            .exclude(structure=Product.PARENT).select_related("producer", "parent").order_by("title", "pk"))


class ExternalSaleEntryForm(ExternalSaleForm):
    """The producer's own external-sale form with the producer to pick: programme staff enter for anyone. The
    product list shows the chosen producer's products (all of them, grouped by producer, before one is chosen);
    a product of another producer than the one picked is refused with a message, nothing written."""

    producer = forms.ModelChoiceField(label=_("Chủ thể"), queryset=None, empty_label=_("Chọn chủ thể"),
                                      to_field_name="code")

    field_order = ["producer", "product", "platform", "sold_on", "quantity", "amount", "note", "key"]

    def __init__(self, *args, producer=None, **kwargs):
        super().__init__(*args, products=products_for_entry(), **kwargs)
        self.fields["producer"].queryset = producers_for_entry()
        self.fields["product"].label_from_instance = lambda product: f"{product.get_title()} · {product.upc}" \
            if product.upc else product.get_title()
        self.fields["product"].widget.choices = self._product_choices(producer)

    def _product_choices(self, producer):
        """Display only: the chosen producer's products, or every producer's under its name. The field itself
        accepts any product, so a mismatch gets our message instead of "not a valid choice"."""
        products = self.fields["product"].queryset
        label = self.fields["product"].label_from_instance
        if producer is not None:
            return [("", _("Chọn sản phẩm")), *((p.pk, label(p)) for p in products.filter(producer=producer))]
        groups: dict[int, tuple[str, list]] = {}
        for product in products.order_by("producer__name", "producer_id", "title", "pk"):
            groups.setdefault(product.producer_id, (product.producer.name, []))[1].append((product.pk, label(product)))
        return [("", _("Chọn sản phẩm")), *groups.values()]

    def clean(self):
        data = super().clean()
        producer, product = data.get("producer"), data.get("product")
        if producer is not None and product is not None and product.producer_id != producer.pk:
            self.add_error("product", _("Sản phẩm “%(product)s” không thuộc chủ thể %(producer)s.")
                           % {"product": product.get_title(), "producer": producer.name})
        return data


class SaleImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp doanh số (CSV)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))


class PeriodCloseForm(forms.Form):
    starts_on = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    @staticmethod
    def last_quarter() -> tuple[dt.date, dt.date]:
        """The quarter before today's: what staff close most often (the form's first suggestion)."""
        previous = quarter_of(quarter_of(timezone.localdate()).start - dt.timedelta(days=1))
        return previous.start, previous.end


class PlanTargetForm(forms.ModelForm):
    class Meta:
        model = PlanTarget
        fields = ["year", "new_products_min", "new_products_max", "four_star_products", "modern_channel_share"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        year.validators += [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
        year.widget.attrs.update({"min": FIRST_YEAR, "max": LAST_YEAR})
        if self.instance.pk:  # a year's row is edited under its year; another year is another row
            self.fields["year"].disabled = True

    def clean(self):
        data = super().clean()
        low, high = data.get("new_products_min"), data.get("new_products_max")
        if low is not None and high is not None and high < low:
            self.add_error("new_products_max", _("Số tối đa phải lớn hơn hoặc bằng số tối thiểu."))
        return data
