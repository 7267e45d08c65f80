from django.views.generic import DetailView


class CertificateVerifyView(DetailView):
    pass


def certificate_qr(request, code, fmt):
    pass
