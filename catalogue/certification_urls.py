from django.urls import path

from . import certification_views as views

app_name = "certification"
urlpatterns = [
    path("verify/<str:code>/", views.CertificateVerifyView.as_view(), name="verify"),
    path("verify/<str:code>/qr.<str:fmt>", views.certificate_qr, name="qr"),
]
