"""Under /shop/, before Oscar's own URLs (config/urls.py): the same path wins.

Oscar's sign-up (``accounts/register/``, name ``customer:register``) and sign-in page (``accounts/login/``, which
signs up too) with the notice's consent box and the sign-up rate limit; Oscar's “delete profile” sent to our erasure;
and the account's own privacy page (download, erasure). ``reverse("customer:register")`` still gives the same path."""

from django.urls import path

from . import views

app_name = "privacy_account"
urlpatterns = [
    path("accounts/register/", views.RegisterView.as_view(), name="register"),
    path("accounts/login/", views.LoginRegisterView.as_view(), name="login"),
    path("accounts/profile/delete/", views.ProfileDeleteView.as_view(), name="profile-delete"),
    path("accounts/privacy/", views.AccountPrivacyView.as_view(), name="index"),
    path("accounts/privacy/download/", views.DownloadView.as_view(), name="download"),
    path("accounts/privacy/erase/", views.EraseView.as_view(), name="erase"),
]
