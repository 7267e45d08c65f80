"""Forms for a producer's own live sessions (when staff allow): the session, its featured products with live
prices and limits, and what may still change once it has ended."""

from django import forms
from django.db import models
from django.forms.models import ModelChoiceIteratorValue
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Product
from livestream.models import LiveSession
from shop.money import dong_text

from .forms import WholeNumberField

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


def _moment_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE)


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def producer_live_products(producer):
    """The producer's own products that are certified today: the only ones it may feature."""
    return (
        Product.objects.filter(producer=producer).certified().prefetch_related("stockrecords").order_by("title", "pk")
    )


class ProducerSessionForm(forms.ModelForm):
    """A scheduled session: what shoppers see and when. The host is the signed-in user, the producer its own."""

    class Meta:
        model = LiveSession
        formfield_callback = _formfield
        fields = ["title", "description", "platform", "stream_url", "scheduled_start", "scheduled_end", "notes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "scheduled_start": _moment_widget(),
            "scheduled_end": _moment_widget(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("scheduled_start", "scheduled_end"):
            self.fields[name].input_formats = [LOCAL_MINUTE, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        self.fields["stream_url"].help_text = _("Đường dẫn phát trực tiếp trên nền tảng (có thể thêm sau).")
        self.fields["notes"].help_text = _("Chỉ Ban điều phối và chủ thể thấy.")

    def clean_scheduled_start(self):
        start = self.cleaned_data["scheduled_start"]
        unchanged = self.instance.pk and start == self.instance.scheduled_start
        if start and not unchanged and start <= timezone.now():
            raise forms.ValidationError(_("Giờ bắt đầu phải ở tương lai."))
        return start


class EndedSessionForm(forms.ModelForm):
    """After the end only the replay and the notes change (the model's clean() holds the same rule)."""

    class Meta:
        model = LiveSession
        formfield_callback = _formfield
        fields = ["replay_url", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ProductChoiceField(forms.ModelChoiceField):
    """One of the producer's products. ``load()`` hands it the products already read once for the whole formset,
    so neither its options nor its validation query again for every row."""

    loaded: dict | None = None

    def label_from_instance(self, product):
        record = next(iter(product.stockrecords.all()), None)
        price = record.price if record is not None else None
        return f"{product.get_title()} · {dong_text(price)}" if price is not None else product.get_title()

    def load(self, products) -> None:
        self.loaded = {product.pk: product for product in products}
        options = [(ModelChoiceIteratorValue(self.prepare_value(p), p), self.label_from_instance(p)) for p in products]
        self.choices = ([("", self.empty_label)] if self.empty_label is not None else []) + options

    def to_python(self, value):
        if self.loaded is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.loaded[int(value.pk if isinstance(value, Product) else value)]
        except (KeyError, TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": value}) from None


class FeatureForm(forms.Form):
    product = ProductChoiceField(label=_("Sản phẩm"), queryset=Product.objects.none(), required=False,
                                 empty_label=_("— không chọn —"))
    live_price = WholeNumberField(label=_("Giá live (₫)"), required=False, min_value=1, max_value=1_000_000_000,
                                  help_text=_("Để trống: bán giá thường."))
    quantity_limit = WholeNumberField(label=_("Tổng số suất giá live"), required=False, min_value=1)
    per_customer_limit = WholeNumberField(label=_("Tối đa mỗi khách"), required=False, min_value=1)

    def __init__(self, *args, products=None, loaded=None, **kwargs):
        super().__init__(*args, **kwargs)
        if products is not None:
            self.fields["product"].queryset = products
        if loaded is not None:
            self.fields["product"].load(loaded)

    def clean(self):
        data = super().clean()
        product, price = data.get("product"), data.get("live_price")
        if product is None:
            return data
        if price is None and (data.get("quantity_limit") or data.get("per_customer_limit")):
            raise forms.ValidationError(_("Giới hạn số suất chỉ dùng khi có giá live."))
        record = next(iter(product.stockrecords.all()), None)
        if price is not None and record is not None and record.price is not None and price >= record.price:
            raise forms.ValidationError(
                _("Giá live phải thấp hơn giá hiện tại của “%(title)s” (%(price)s).")
                % {"title": product.get_title(), "price": dong_text(record.price)}
            )
        total, each = data.get("quantity_limit"), data.get("per_customer_limit")
        if total and each and each > total:
            raise forms.ValidationError(_("Số tối đa mỗi khách không được lớn hơn tổng số suất."))
        return data


class BaseFeatureFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        seen = set()
        for form in self.forms:
            product = form.cleaned_data.get("product")
            if product is None:
                continue
            if product.pk in seen:
                raise forms.ValidationError(_("“%(title)s” được chọn hai lần.") % {"title": product.get_title()})
            seen.add(product.pk)
        if not seen:
            raise forms.ValidationError(_("Chọn ít nhất một sản phẩm giới thiệu."))

    def features(self) -> list[dict]:
        """The chosen rows in their order (empty rows dropped)."""
        keys = ("product", "live_price", "quantity_limit", "per_customer_limit")
        return [
            {key: form.cleaned_data.get(key) for key in keys}
            for form in self.forms if form.cleaned_data.get("product") is not None
        ]


FeatureFormSet = forms.formset_factory(FeatureForm, formset=BaseFeatureFormSet, extra=2, max_num=20, validate_max=True)


def feature_formset(*, products, data=None, session=None) -> BaseFeatureFormSet:
    """Rows for the session's featured products (in order), then empty ones to add more."""
    initial = []
    if session is not None and session.pk:
        initial = [
            {"product": f.product_id, "live_price": int(f.live_price) if f.live_price is not None else None,
             "quantity_limit": f.quantity_limit, "per_customer_limit": f.per_customer_limit}
            for f in session.featured.order_by("position", "pk")
        ]
    loaded = list(products)  # read once: every row offers the same products
    return FeatureFormSet(data, initial=initial or None, prefix="featured",
                          form_kwargs={"products": products, "loaded": loaded})
