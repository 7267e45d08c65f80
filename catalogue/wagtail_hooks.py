"""OCOP programme administration in the Wagtail admin (/cms-admin/): the "OCOP" menu group.

Certificates: record, renew (a new row, prefilled from the "Gia hạn" button) and revoke (edit form);
plus two to-do listings, certificates expiring soon and expired ones awaiting re-evaluation.
Views, forms and the permission policy live in catalogue/admin_views.py.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from .admin_views import (
    EXPIRED_LIST_LABEL,
    EXPIRING_LIST_LABEL,
    CertificatePermissionPolicy,
    CertificateViewSet,
    PresetCertificateViewSet,
)
from .models import Certificate

# Before anything asks Wagtail for Certificate's policy (it would otherwise create the plain model policy).
register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


class OcopViewSetGroup(ViewSetGroup):
    menu_label = _("OCOP")
    menu_icon = "clipboard-list"
    menu_name = "ocop"
    menu_order = 250
    items = (
        CertificateViewSet("ocop_certificate", url_prefix="ocop/certificates"),
        PresetCertificateViewSet(
            "ocop_certificate_expiring",
            url_prefix="ocop/expiring",
            preset="expiring",
            icon="time",
            menu_label=EXPIRING_LIST_LABEL,
            menu_name="ocop-certificates-expiring",
        ),
        PresetCertificateViewSet(
            "ocop_certificate_expired",
            url_prefix="ocop/expired",
            preset="expired",
            icon="warning",
            menu_label=EXPIRED_LIST_LABEL,
            menu_name="ocop-certificates-expired",
        ),
    )


@hooks.register("register_admin_viewset")
def register_ocop_viewsets():
    return OcopViewSetGroup()
