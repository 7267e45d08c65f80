from django.contrib.auth import get_user_model
from oscar.apps.customer.auth_backends import EmailBackend as OscarEmailBackend
from oscar.apps.customer.utils import normalise_email


class EmailBackend(OscarEmailBackend):
    """Oscar's email login, taking as long for an unknown email as for a known one with a wrong password: Oscar
    hashes nothing when no user matches, so the response time told whether an account exists."""

    def _authenticate(self, request, email=None, password=None, *args, **kwargs):
        user = super()._authenticate(request, email, password, *args, **kwargs)
        given = email if email is not None else kwargs.get("username")
        if user is None and given and password is not None:
            User = get_user_model()
            if not User.objects.filter(email__iexact=normalise_email(given)).exists():
                User().set_password(password)  # the hash a matching user's check would have cost
        return user
