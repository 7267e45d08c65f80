"""Livestream in the Wagtail admin (/cms-admin/livestream/...): the "Livestream" menu group for programme staff.

Sessions (with their featured products and live prices), host identity checks, quality documents and complaints;
plus two choosers (certified products, active users) used by those forms only. Views, forms and the complaint
permission policy live in livestream/admin_views.py and livestream/choosers.py. Access is Wagtail's model
permission policy: a user needs the livestream model permissions (the "Programme staff" group holds them).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from .admin_views import (
    ComplaintPermissionPolicy,
    HostIdentityCheckViewSet,
    LiveComplaintViewSet,
    LiveSessionViewSet,
    QualityDocumentViewSet,
)
from .choosers import host_chooser_viewset, product_chooser_viewset
from .models import LiveComplaint

# Before anything asks Wagtail for the complaint policy (it would otherwise create the plain model policy).
register_permission_policy(LiveComplaint, ComplaintPermissionPolicy(LiveComplaint))


class LivestreamViewSetGroup(ViewSetGroup):
    menu_label = _("Livestream")
    menu_icon = "media"
    menu_name = "livestream"
    menu_order = 270
    items = (
        LiveSessionViewSet("livestream_session", url_prefix="livestream/sessions"),
        HostIdentityCheckViewSet("livestream_identity_check", url_prefix="livestream/identity-checks"),
        QualityDocumentViewSet("livestream_quality_document", url_prefix="livestream/quality-documents"),
        LiveComplaintViewSet("livestream_complaint", url_prefix="livestream/complaints"),
    )


@hooks.register("register_admin_viewset")
def register_livestream_viewsets():
    return [product_chooser_viewset, host_chooser_viewset, LivestreamViewSetGroup()]
