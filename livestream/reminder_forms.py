"""The "Nhắc tôi" form: a guest gives an email (confirmed by a link sent to it); a signed-in shopper gives nothing,
their account's email is used."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReminderForm(forms.Form):
    email = forms.EmailField(
        label=_("Email nhận nhắc lịch"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "ban@example.vn"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = bool(user is not None and user.is_authenticated and user.email)
        self.account_email = user.email if self.signed_in else ""
        if self.signed_in:
            self.fields["email"].widget = forms.HiddenInput()
        else:
            self.fields["email"].required = True
            self.fields["email"].error_messages["required"] = _("Vui lòng nhập email để nhận nhắc lịch.")

    def address(self) -> str:
        """Whom to remind: the account's email when signed in (whatever was posted), else the email given."""
        email = self.account_email if self.signed_in else self.cleaned_data["email"]
        return email.strip().lower()
