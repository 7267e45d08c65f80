"""Choosers for the livestream admin: certified products and hosts, searched in a modal instead of a select
(the catalogue holds tens of thousands of products; users include every shopper).

* Products: browsable (public, not a variant) and certified today, found by title typed with or without
  accents ("gao nang nhen" finds "Gạo Nàng Nhen", through ``Product.title_folded``) or by barcode.
  An uncertified product is never listed, and "choosing" one by its id is a 404.
* Hosts: active users, found by name or email.

Both are registered with ``register_widget = False``: they are used only where this app asks for them, never as
the widget of every foreign key to a product or user elsewhere in the admin (certificates must be recordable for
uncertified products). Registered in livestream/wagtail_hooks.py.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser

from catalogue.models import Product
from catalogue.search.text import query_words


# ---------------------------------------------------------------- products
def choosable_products():
    """What may be featured in a live session: browsable products holding a valid certificate today."""
    return Product.objects.browsable().certified().select_related("producer")


def product_label(product) -> str:
    return product.get_title() + (f" ({product.upc})" if product.upc else "")


class ProductSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Tìm sản phẩm"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Tên sản phẩm (gõ có dấu hay không dấu đều được) hoặc mã vạch")}
        ),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            words = Q()
            for word in query_words(query):
                words &= Q(title_folded__contains=word)
            objects = objects.filter(words | Q(upc__iexact=query))
            self.is_searching = True
            self.search_query = query
        return objects


class ProductChooserMixin:
    filter_form_class = ProductSearchForm
    ordering = ("title", "pk")

    def get_object_list(self):
        return choosable_products()

    @property
    def columns(self):
        title = self.title_column
        title.accessor = product_label
        title.label = _("Sản phẩm")
        return [
            title,
            Column("producer", label=_("Chủ thể OCOP"), accessor=lambda p: p.producer or ""),
        ]


class ProductChooseView(ProductChooserMixin, chooser_views.ChooseView):
    pass


class ProductChooseResultsView(ProductChooserMixin, chooser_views.ChooseResultsView):
    pass


class ProductChosenResponseMixin:
    def get_display_title(self, instance):
        return product_label(instance)


class ProductChosenView(ProductChosenResponseMixin, chooser_views.ChosenView):
    def get_object(self, pk):
        return choosable_products().get(pk=pk)


class ProductChosenMultipleView(ProductChosenResponseMixin, chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return choosable_products().filter(pk__in=[pk for pk in pks if str(pk).isdigit()])


class ProductChooserWidget(BaseChooser):
    def get_display_title(self, instance):
        return product_label(instance)


class CertifiedProductChooserViewSet(ChooserViewSet):
    model = Product
    icon = "tag"
    choose_one_text = _("Chọn sản phẩm")
    choose_another_text = _("Chọn sản phẩm khác")
    edit_item_text = _("Sửa")
    page_title = _("Chọn sản phẩm đạt OCOP")
    search_tab_label = _("Tìm kiếm")
    per_page = 20
    register_widget = False
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView
    chosen_view_class = ProductChosenView
    chosen_multiple_view_class = ProductChosenMultipleView
    base_widget_class = ProductChooserWidget


# ---------------------------------------------------------------- hosts
def choosable_hosts():
    return get_user_model().objects.filter(is_active=True)


def user_label(user) -> str:
    name = user.get_full_name()
    return f"{name} <{user.email}>" if name else user.email


class UserSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Tìm người dùng"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Họ tên hoặc email")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            matches = Q(email__icontains=query)
            for word in query.split():
                matches |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
            objects = objects.filter(matches)
            self.is_searching = True
            self.search_query = query
        return objects


class SchedulersOnly:
    """Users' names and emails are shown only to staff who may schedule sessions (any admin user otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        if not (request.user.has_perm("livestream.add_livesession") or request.user.has_perm("livestream.change_livesession")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HostChooserMixin(SchedulersOnly):
    filter_form_class = UserSearchForm
    ordering = ("first_name", "last_name", "email")

    def get_object_list(self):
        return choosable_hosts()

    @property
    def columns(self):
        title = self.title_column
        title.accessor = user_label
        title.label = _("Người dùng")
        return [title]


class HostChooseView(HostChooserMixin, chooser_views.ChooseView):
    pass


class HostChooseResultsView(HostChooserMixin, chooser_views.ChooseResultsView):
    pass


class HostChosenResponseMixin:
    def get_display_title(self, instance):
        return user_label(instance)


class HostChosenView(SchedulersOnly, HostChosenResponseMixin, chooser_views.ChosenView):
    def get_object(self, pk):
        return choosable_hosts().get(pk=pk)


class HostChosenMultipleView(SchedulersOnly, HostChosenResponseMixin, chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return choosable_hosts().filter(pk__in=[pk for pk in pks if str(pk).isdigit()])


class HostChooserWidget(BaseChooser):
    def get_display_title(self, instance):
        return user_label(instance)


class HostChooserViewSet(ChooserViewSet):
    model = get_user_model()
    icon = "user"
    choose_one_text = _("Chọn người dùng")
    choose_another_text = _("Chọn người khác")
    edit_item_text = _("Sửa")
    page_title = _("Chọn người dùng")
    search_tab_label = _("Tìm kiếm")
    per_page = 20
    register_widget = False
    choose_view_class = HostChooseView
    choose_results_view_class = HostChooseResultsView
    chosen_view_class = HostChosenView
    chosen_multiple_view_class = HostChosenMultipleView
    base_widget_class = HostChooserWidget


product_chooser_viewset = CertifiedProductChooserViewSet(
    "livestream_product_chooser", url_prefix="livestream/choose-product"
)
host_chooser_viewset = HostChooserViewSet("livestream_host_chooser", url_prefix="livestream/choose-user")
