"""Showrooms in the Wagtail admin (/cms-admin/): programme staff add and edit showrooms (address, coordinates,
hours, exceptions, staff) under "Điểm bán OCOP". The panels are the model's (showrooms/models.py). Shelf stock is
not edited here: it changes only through the stock screen's services (a ledger)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Showroom


class ShowroomViewSet(SnippetViewSet):
    model = Showroom
    icon = "home"
    menu_label = _("Điểm bán OCOP")
    menu_name = "showrooms"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "code", "area", "phone", BooleanColumn("is_active", label=_("đang hoạt động"))]
    list_filter = ["is_active", "offers_pickup"]
    search_fields = ["name", "code", "street_address", "area__name"]
    search_backend_name = None  # the ORM: showrooms are few and not in Wagtail's search index
    ordering = ["name"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_queryset(self, request):
        return Showroom.objects.select_related("area", "area__parent")


register_snippet(ShowroomViewSet)
