"""The consent box (sign-up and checkout) and the erasure form."""

from django import forms
from django.contrib.auth import authenticate
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_class

from .services import consent_record

EmailUserCreationForm = get_class("customer.forms", "EmailUserCreationForm")

CONSENT_FIELD = "privacy_consent"
ERASE_SALT = "users.privacy.erase"
ERASE_CONFIRM_SECONDS = 15 * 60


def consent_label() -> str:
    """“Tôi đã đọc và đồng ý với Thông báo xử lý dữ liệu cá nhân”, the notice linked (opens beside the form)."""
    return mark_safe(  # noqa: S308  (our own translated text; the only variable is escaped)
        # the same words as the checkout template's {% blocktrans %}: one string to translate
        _('Tôi đã đọc và đồng ý với <a href="%(notice_url)s" target="_blank" rel="noopener">Thông báo xử lý dữ liệu cá '
          'nhân</a>')
        % {"notice_url": escape(reverse("privacy:notice"))}
    )


def consent_field(required_message) -> forms.BooleanField:
    return forms.BooleanField(required=True, label="", error_messages={"required": required_message})


class ConsentRegistrationForm(EmailUserCreationForm):
    """Oscar's sign-up form with the notice's box; the account and its consent are written together."""

    privacy_consent = consent_field(
        gettext_lazy("Vui lòng đánh dấu ô đồng ý với Thông báo xử lý dữ liệu cá nhân để tạo tài khoản.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[CONSENT_FIELD].label = consent_label()

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():
            user = super().save(commit=True)
            consent_record(purpose="account", user=user)
        return user


class ErasurePasswordForm(forms.Form):
    """Step one: the account's password again (someone at an unattended, signed-in screen cannot erase it)."""

    password = forms.CharField(label=gettext_lazy("Mật khẩu của bạn"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self):
        # Through authenticate(), so django-axes counts a wrong password here as at the login form: a stolen
        # session cannot guess the password on this page without being locked out.
        password = self.cleaned_data["password"]
        signed = authenticate(self.request, username=self.user.email, password=password)
        if signed is None or signed.pk != self.user.pk:
            raise forms.ValidationError(_("Mật khẩu không đúng."), code="password")
        return password

    def confirmation(self) -> str:
        return erase_token(self.user)


def erase_token(user) -> str:
    """Step two's ticket: this account, its current password, the next 15 minutes."""
    return signing.dumps({"u": user.pk, "h": user.get_session_auth_hash()}, salt=ERASE_SALT)


class ErasureConfirmForm(forms.Form):
    """Step two: the final button, carrying step one's ticket."""

    confirmation = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirmation(self):
        expired = _("Bước xác nhận đã hết hạn. Vui lòng nhập lại mật khẩu.")
        try:
            data = signing.loads(self.cleaned_data["confirmation"], salt=ERASE_SALT, max_age=ERASE_CONFIRM_SECONDS)
        except signing.BadSignature:
            raise forms.ValidationError(expired, code="expired")
        if data.get("u") != self.user.pk or data.get("h") != self.user.get_session_auth_hash():
            raise forms.ValidationError(expired, code="expired")
        return self.cleaned_data["confirmation"]
