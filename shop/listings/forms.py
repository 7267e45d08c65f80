from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oscar.core.loading import get_model

from catalogue.models import AdministrativeUnit, OcopProductSet
from reports.external import MAX_AMOUNT, MAX_QUANTITY, NOTE_MAX_LENGTH
from reports.models import Platform
from shop.money import whole_number_parse
from users.privacy.forms import consent_field, consent_label

Partner = get_model("partner", "Partner")


class WholeNumberField(forms.IntegerField):
    """Whole numbers as Vietnamese write them: "150.000", "150,000", "150 000" or "150000" are 150000
    (Django's IntegerField would read "150.000" as 150)."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip().removesuffix("₫").removesuffix("đ").strip()
            if not text:
                return None
            try:
                return whole_number_parse(text)
            except ValueError:
                raise forms.ValidationError(_("Nhập số nguyên, ví dụ 150.000."), code="invalid")
        return super().to_python(value)


def _image_clean(upload):
    """Every photo goes through catalogue/images.py: checked, re-encoded, renamed."""
    from catalogue.images import ImageRefused, image_accept

    if not upload:
        return None
    try:
        return image_accept(upload)
    except ImageRefused as refused:
        raise forms.ValidationError(str(refused))


class ProductForm(forms.Form):
    title = forms.CharField(label=_("Tên sản phẩm"), max_length=255)
    ocop_product_set = forms.ModelChoiceField(
        label=_("Nhóm và bộ sản phẩm OCOP"),
        queryset=OcopProductSet.objects.filter(group__taxonomy__is_current=True).select_related("group").order_by(
            "group__number", "number"),
        empty_label=_("Chọn bộ sản phẩm"),
    )
    price = WholeNumberField(label=_("Giá bán (₫)"), min_value=1000, max_value=1_000_000_000)
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Viết như tin nhắn; xuống dòng được giữ nguyên. Mã HTML lạ sẽ bị loại bỏ."),
    )
    weight_grams = WholeNumberField(label=_("Khối lượng khi giao (gam)"), required=False, min_value=1)
    volume_ml = WholeNumberField(label=_("Thể tích (ml)"), required=False, min_value=1)
    shelf_life_days = WholeNumberField(label=_("Hạn sử dụng (ngày)"), required=False, min_value=1)
    ingredients = forms.CharField(label=_("Thành phần"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    raw_material_origin = forms.CharField(label=_("Vùng nguyên liệu"), max_length=255, required=False)
    image = forms.FileField(
        label=_("Ảnh sản phẩm"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG hoặc WebP, tối đa %(mb)s MB.") % {"mb": getattr(settings, "OCOP_IMAGE_MAX_BYTES", 10 * 1024 * 1024) // (1024 * 1024)},
    )

    def clean_image(self):
        return _image_clean(self.cleaned_data.get("image"))


class ProductCreateForm(ProductForm):
    stock = WholeNumberField(label=_("Tồn kho bán trực tuyến"), min_value=0, initial=0)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, producers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if producers is not None and len(producers) > 1:  # a user working for several producers picks one
            self.fields["producer"] = forms.ModelChoiceField(label=_("Chủ thể"), queryset=producers.order_by("name"))
            self.order_fields(["producer"])


class StockForm(forms.Form):
    MODES = [("receive", _("Nhập thêm hàng")), ("set", _("Kiểm kê: đặt lại số lượng"))]
    mode = forms.ChoiceField(label=_("Thao tác"), choices=MODES, initial="receive", widget=forms.RadioSelect)
    quantity = WholeNumberField(label=_("Số lượng"), min_value=0, max_value=1_000_000)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


class ExternalSaleForm(forms.Form):
    """A sale made elsewhere (reports.external.external_sale_enter): the producer's own form, and the base of
    programme staff's form for any producer (reports.forms.ExternalSaleEntryForm)."""

    product = forms.ModelChoiceField(label=_("Sản phẩm"), queryset=None, empty_label=_("Chọn sản phẩm"))
    platform = forms.ChoiceField(label=_("Nơi bán"), choices=[("", _("Chọn nơi bán")), *Platform.choices])
    sold_on = forms.DateField(label=_("Ngày bán"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    quantity = WholeNumberField(label=_("Số lượng"), min_value=1, max_value=MAX_QUANTITY)
    amount = WholeNumberField(label=_("Thành tiền (₫)"), min_value=1, max_value=MAX_AMOUNT,
                              help_text=_("Số đồng nguyên, ví dụ 1.250.000."))
    note = forms.CharField(label=_("Ghi chú"), max_length=NOTE_MAX_LENGTH, required=False,
                           help_text=_("Ví dụ: tên siêu thị, mã đơn trên sàn."))
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["sold_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_sold_on(self):
        sold_on = self.cleaned_data["sold_on"]
        if sold_on > timezone.localdate():
            raise forms.ValidationError(_("Ngày bán không được sau hôm nay."), code="future")
        return sold_on


class ProfileForm(forms.Form):
    story = forms.CharField(label=_("Giới thiệu, câu chuyện"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    street_address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    representative = forms.CharField(label=_("Người đại diện"), max_length=128, required=False)
    photo = forms.FileField(label=_("Thêm ảnh cơ sở, vùng nguyên liệu"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    caption = forms.CharField(label=_("Chú thích ảnh"), max_length=160, required=False)

    def clean_photo(self):
        return _image_clean(self.cleaned_data.get("photo"))


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Tên chủ thể (HTX, doanh nghiệp, hộ kinh doanh)"), max_length=128)
    kind = forms.ChoiceField(label=_("Loại hình"), choices=Partner.Kind.choices)
    commune = forms.ModelChoiceField(
        label=_("Xã/phường (tỉnh An Giang)"),
        queryset=AdministrativeUnit.objects.filter(level="commune", parent__name__contains="An Giang").order_by("name"),
    )
    representative = forms.CharField(label=_("Người đại diện"), max_length=128)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20)
    email = forms.EmailField(label=_("Email đăng nhập"))
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, min_length=8)
    privacy_consent = consent_field(
        _("Vui lòng đánh dấu ô đồng ý với Thông báo xử lý dữ liệu cá nhân để tạo tài khoản.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy_consent"].label = consent_label()  # the same box as Oscar's sign-up (users/privacy/)

    def clean_phone(self):
        from shop.checkout.forms import vietnamese_phone

        return vietnamese_phone(self.cleaned_data["phone"])

    def clean_email(self):
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"].lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Email này đã có tài khoản: hãy đăng nhập rồi liên hệ Ban điều phối."))
        return email


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email người dùng"))
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
