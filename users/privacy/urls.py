"""/privacy/: the personal data notice, and the page an erased shopper lands on."""

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.NoticeView.as_view(), name="notice"),
    path("erased/", views.ErasedView.as_view(), name="erased"),
]
