"""Public certificate verification, reachable from the QR code printed on labels."""

import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from django.views.generic import DetailView

from .models import Certificate

QR_CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


class CertificateVerifyView(DetailView):
    template_name = "catalogue/verify.html"
    context_object_name = "certificate"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Certificate.objects.select_related("product__producer__area__parent", "product__ocop_product_set__group"),
            verification_code=self.kwargs["code"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        certificate = self.object
        current = certificate.product.current_certificate()
        ctx.update(status=certificate.status(), superseded_by=current if current and current.pk != certificate.pk else None)
        return ctx


@require_GET
def certificate_qr(request, code, fmt):
    """The verification URL as a QR code, SVG or PNG, generated locally; absolute and unprefixed for printing."""
    if fmt not in QR_CONTENT_TYPES:
        raise Http404
    certificate = get_object_or_404(Certificate, verification_code=code)
    qr = segno.make(certificate.public_url(), error="m")
    buffer = io.BytesIO()
    if fmt == "svg":
        qr.save(buffer, kind="svg", scale=8, border=2, xmldecl=True, title=certificate.product.get_title())
    else:
        qr.save(buffer, kind="png", scale=8, border=2)
    response = HttpResponse(buffer.getvalue(), content_type=QR_CONTENT_TYPES[fmt])
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = f'inline; filename="ocop-{code}.{fmt}"'
    return response
