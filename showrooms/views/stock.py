"""The showroom staff's stock screen (phone first) and the pickup counter. Thin: a form, then a service.

Every write goes through showrooms/services.py with the form's one-time request key, refusals (ShelfRefused) are
shown as they are worded, and every POST redirects (POST-redirect-GET). Access: showrooms/access.py."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_model

from catalogue.models import Product
from shop.money import dong_text

from .. import services
from ..access import ShowroomStaffMixin
from ..forms import CountForm, HandOverForm, QuantityForm, StepForm, StockForm, TransferForm
from ..models import ShelfStock, StockMovement
from ..selectors import (
    movements_recent,
    pickup_part_for_showroom,
    pickup_parts,
    shelf_product_find,
    shelf_rows,
    showrooms_of_user,
)
from ..services import NOT_UNDOABLE, ShelfRefused
from ..templatetags.stock_tags import UNDO_TAG, signed

Reason = StockMovement.Reason
StockRecord = get_model("partner", "StockRecord")
SEARCH_HEADER = "stock-search"  # stock.js asks for the results fragment with X-Requested-With: stock-search


# ---------------------------------------------------------------- small reads of this screen
def _undoable_id(*, user, showroom) -> int | None:
    """The clerk's own last movement, when it is here, still undoable and within the undo window (the service
    decides again when the button is pressed)."""
    last = (
        StockMovement.objects.filter(actor=user).exclude(reason=Reason.UNDO).select_related("reversal")
        .order_by("-pk").first()
    )
    if last is None or last.showroom_id != showroom.pk or last.reason in NOT_UNDOABLE:
        return None
    if getattr(last, "reversal", None) is not None:
        return None
    if timezone.now() - last.created_at > dt.timedelta(minutes=settings.SHOWROOM_UNDO_MINUTES):
        return None
    return last.pk


def _matches_code(product, query: str) -> bool:
    """The query is this product's barcode or SKU exactly (a scan): open the product at once."""
    return Product.objects.filter(pk=product.pk).filter(
        Q(upc__iexact=query) | Q(stockrecords__partner_sku__iexact=query)
    ).exists()


def _skus(products) -> None:
    """Each found product's SKU (the producer's stock record), in one query."""
    if not products:
        return
    skus = dict(
        StockRecord.objects.filter(product__in=products).order_by("-pk").values_list("product_id", "partner_sku")
    )
    for product in products:
        product.sku = skus.get(product.pk, "")


def _pickups_waiting(showroom) -> int:
    from shop.fulfilment.models import FulfilmentPart

    Status = FulfilmentPart.Status
    return FulfilmentPart.objects.filter(
        pickup_showroom=showroom, status__in=[Status.AWAITING_PAYMENT, Status.CONFIRMED, Status.PACKED]
    ).count()


def _customers(parts) -> None:
    """Each pickup part's customer (the checkout's name and phone, else the order's email), in two queries."""
    from shop.fulfilment.models import OrderDelivery

    deliveries = {d.order_id: d for d in OrderDelivery.objects.filter(order_id__in={p.order_id for p in parts})}
    user_ids = {p.order.user_id for p in parts if p.order.user_id}
    emails = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email")) if user_ids else {}
    for part in parts:
        delivery = deliveries.get(part.order_id)
        part.customer_name = getattr(delivery, "full_name", "") if delivery else ""
        part.customer_phone = getattr(delivery, "phone", "") if delivery else ""
        part.customer_email = part.order.guest_email or emails.get(part.order.user_id, "")


def _due(part):
    """part_due on the lines already loaded (pickup_parts groups them), so the list costs no query per part."""
    from shop.fulfilment.services import part_due

    return part_due(part, lines=part.line_list)


def _payment(part):
    return getattr(part.order, "ocop_payment", None)


def _is_cash(part) -> bool:
    payment = _payment(part)
    return payment is not None and payment.method == "cod"


def _next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


# ---------------------------------------------------------------- choosing a showroom, finding a product
class ShowroomChooseView(ShowroomStaffMixin, View):
    def get(self, request):
        showrooms = list(showrooms_of_user(request.user).select_related("area").order_by("name"))
        if len(showrooms) == 1:
            return redirect("showroom-stock:screen", code=showrooms[0].code)
        return render(request, "showrooms/stock/choose.html", {"showrooms": showrooms})


class StockScreenView(ShowroomStaffMixin, View):
    """Find a product by name (with or without accents), SKU or barcode; the last changes below."""

    def get(self, request, code):
        query = request.GET.get("q", "").strip()[:100]
        products = shelf_product_find(showroom=self.showroom, query=query) if query else []
        _skus(products)
        context = {"showroom": self.showroom, "q": query, "products": products}
        if request.headers.get("X-Requested-With") == SEARCH_HEADER:
            return render(request, "showrooms/stock/_results.html", context)
        if len(products) == 1 and _matches_code(products[0], query):
            return redirect("showroom-stock:product", code=self.showroom.code, product_id=products[0].pk)
        context.update({
            "recent": movements_recent(showroom=self.showroom, limit=10),
            "undoable_id": _undoable_id(user=request.user, showroom=self.showroom),
            "pickups_waiting": _pickups_waiting(self.showroom) if self.showroom.offers_pickup else 0,
            "several_showrooms": showrooms_of_user(request.user).count() > 1,
            "shelf": shelf_rows(showroom=self.showroom).filter(Q(quantity__gt=0) | Q(reserved__gt=0)),
        })
        return render(request, "showrooms/stock/screen.html", context)


# ---------------------------------------------------------------- one product: the big buttons
class ProductStockView(ShowroomStaffMixin, View):
    template_name = "showrooms/stock/product.html"
    ACTIONS = ("plus", "minus", "sell", "receive", "count", "damaged", "returned", "transfer")

    def _forms(self, destinations, bound=None):
        forms = {
            "plus": StepForm(auto_id="id_plus_%s"),
            "minus": StepForm(auto_id="id_minus_%s"),
            "sell": QuantityForm(auto_id="id_sell_%s", initial={"quantity": 1}),
            "receive": QuantityForm(auto_id="id_receive_%s"),
            "count": CountForm(auto_id="id_count_%s"),
            "damaged": QuantityForm(auto_id="id_damaged_%s"),
            "returned": QuantityForm(auto_id="id_returned_%s"),
            "transfer": TransferForm(auto_id="id_transfer_%s", destinations=destinations),
        }
        forms.update(bound or {})
        return forms

    def _context(self, product, bound=None):
        destinations = list(self.other_showrooms())
        shelf = ShelfStock.objects.filter(showroom=self.showroom, product=product).first()
        record = product.stockrecords.order_by("pk").first()
        return {
            "showroom": self.showroom,
            "product": product,
            "record": record,
            "certified": product.is_certified(),
            "quantity": shelf.quantity if shelf else 0,
            "reserved": shelf.reserved if shelf else 0,
            "available": shelf.available if shelf else 0,
            "forms": self._forms(destinations, bound),
            "destinations": destinations,
            "recent": movements_recent(showroom=self.showroom, product=product, limit=10),
            "undoable_id": _undoable_id(user=self.request.user, showroom=self.showroom),
        }

    def get(self, request, code, product_id):
        product = self.product(product_id)
        return render(request, self.template_name, self._context(product))

    def post(self, request, code, product_id):
        product = self.product(product_id)
        here = reverse("showroom-stock:product", kwargs={"code": self.showroom.code, "product_id": product.pk})
        action = request.POST.get("action", "")
        if action not in self.ACTIONS:
            messages.error(request, _("Thao tác không hợp lệ."))
            return redirect(here)
        if action == "transfer":
            destinations = list(self.other_showrooms())
            wanted = request.POST.get("destination", "")
            if wanted and wanted not in {showroom.code for showroom in destinations}:
                raise Http404  # a showroom the user does not work at: refused like its URL
            form = TransferForm(request.POST, auto_id="id_transfer_%s", destinations=destinations)
        else:
            form_class = {"plus": StepForm, "minus": StepForm, "count": CountForm}.get(action, QuantityForm)
            form = form_class(request.POST, auto_id=f"id_{action}_%s")
        if not form.is_valid():
            messages.error(request, form.first_error())
            return render(request, self.template_name, self._context(product, bound={action: form}), status=400)
        try:
            text, movement = self._apply(action, product, form.cleaned_data)
        except ShelfRefused as refused:
            messages.error(request, str(refused))
            return redirect(here)
        if getattr(movement, "replayed", False):  # the same form again (a double tap, or back then send)
            messages.info(request, _("Thay đổi này đã được ghi trước đó; không ghi thêm. Trên kệ: %(balance)s.") % {
                "balance": ShelfStock.objects.filter(showroom=self.showroom, product=product)
                .values_list("quantity", flat=True).first() or 0})
        elif movement is not None and movement.reason not in NOT_UNDOABLE:
            messages.success(request, text, extra_tags=f"{UNDO_TAG}:{self.showroom.code}:{movement.pk}")
        elif movement is not None:
            messages.success(request, text)
        else:
            messages.info(request, text)
        return redirect(here)

    def _apply(self, action, product, data):
        """Call the service for the action; return the confirmation (what changed, the new level) and the movement."""
        common = {"showroom": self.showroom, "product": product, "actor": self.request.user,
                  "request_key": data["request_key"]}
        title = product.get_title()
        if action in ("plus", "minus"):
            movement = services.shelf_adjust(**common, delta=1 if action == "plus" else -1, reason=Reason.COUNT)
            return _("Đã điều chỉnh %(delta)s “%(title)s”. Trên kệ: %(balance)s.") % {
                "delta": signed(movement.delta), "title": title, "balance": movement.balance}, movement
        if action == "count":
            movement = services.shelf_count(**common, counted=data["counted"])
            if movement is None:
                return _("Số đếm khớp sổ: trên kệ %(balance)s “%(title)s”. Không có thay đổi.") % {
                    "balance": data["counted"], "title": title}, None
            return _("Kiểm kê “%(title)s”: đếm được %(counted)s, điều chỉnh %(delta)s. Trên kệ: %(balance)s.") % {
                "title": title, "counted": data["counted"], "delta": signed(movement.delta),
                "balance": movement.balance}, movement
        quantity, note = data["quantity"], data.get("note", "")
        if action == "transfer":
            destination = data["destination"]
            out, _into = services.shelf_transfer(
                source=self.showroom, destination=destination, product=product, quantity=quantity,
                actor=self.request.user, request_key=data["request_key"],
            )
            return _("Đã chuyển %(quantity)s “%(title)s” đến %(destination)s. Trên kệ còn %(balance)s.") % {
                "quantity": quantity, "title": title, "destination": destination.name, "balance": out.balance}, out
        if action == "sell":
            movement = services.shelf_sell(**common, quantity=quantity, note=note)
            text = _("Đã bán %(quantity)s “%(title)s”. Trên kệ còn %(balance)s.")
        elif action == "receive":
            movement = services.shelf_receive(**common, quantity=quantity, note=note)
            text = _("Đã nhận %(quantity)s “%(title)s” từ chủ thể. Trên kệ: %(balance)s.")
        elif action == "damaged":
            movement = services.shelf_adjust(**common, delta=-quantity, reason=Reason.DAMAGED, note=note)
            text = _("Đã ghi %(quantity)s “%(title)s” hư hỏng. Trên kệ còn %(balance)s.")
        else:  # returned
            movement = services.shelf_adjust(**common, delta=-quantity, reason=Reason.RETURNED, note=note)
            text = _("Đã ghi trả %(quantity)s “%(title)s” cho chủ thể. Trên kệ còn %(balance)s.")
        return text % {"quantity": abs(movement.delta), "title": title, "balance": movement.balance}, movement


class MovementUndoView(ShowroomStaffMixin, View):
    """Undo the clerk's own last movement within SHOWROOM_UNDO_MINUTES: a reversing movement, never a delete."""

    def post(self, request, code, movement_id):
        movement = self.movement(movement_id)
        back = _next_url(request, reverse(
            "showroom-stock:product", kwargs={"code": self.showroom.code, "product_id": movement.product_id}))
        form = StockForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.first_error())
            return redirect(back)
        try:
            undo = services.movement_undo(movement=movement, actor=request.user)
        except ShelfRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Đã hoàn tác “%(reason)s %(delta)s” của “%(title)s”. Trên kệ: %(balance)s.") % {
                "reason": movement.get_reason_display(), "delta": signed(movement.delta),
                "title": movement.product.get_title(), "balance": undo.balance})
        return redirect(back)


class HistoryView(ShowroomStaffMixin, View):
    """Every movement of the showroom, newest first, 50 a page, optionally for one product; a constant number of
    queries whatever the page holds."""

    paginate_by = 50

    def get(self, request, code):
        movements = (
            StockMovement.objects.filter(showroom=self.showroom)
            .select_related("product", "actor", "reversal")
            .order_by("-created_at", "-pk")
        )
        product = None
        product_id = request.GET.get("product", "")
        if product_id:
            if not product_id.isdigit():
                raise Http404
            product = self.product(product_id)
            movements = movements.filter(product=product)
        page = Paginator(movements, self.paginate_by).get_page(request.GET.get("page"))
        return render(request, "showrooms/stock/history.html", {
            "showroom": self.showroom,
            "page": page,
            "movements": page.object_list,
            "product": product,
            "products": shelf_rows(showroom=self.showroom).values_list("product_id", "product__title"),
            "undoable_id": _undoable_id(user=request.user, showroom=self.showroom),
        })


# ---------------------------------------------------------------- the pickup counter
class PickupListView(ShowroomStaffMixin, View):
    def get(self, request, code):
        include_done = request.GET.get("done") == "1"
        parts = pickup_parts(showroom=self.showroom, include_done=include_done)
        _customers(parts)
        for part in parts:
            part.due = _due(part)
            part.is_cash = _is_cash(part)
            part.payment = _payment(part)
            part.form = HandOverForm(auto_id=f"id_part{part.pk}_%s")
        return render(request, "showrooms/stock/pickups.html", {
            "showroom": self.showroom, "parts": parts, "include_done": include_done,
        })


class PickupHandOverView(ShowroomStaffMixin, View):
    """“Đã giao cho khách”: the part is delivered and its units leave the shelf; cash on pickup needs the tick that
    the whole amount is in."""

    def post(self, request, code, part_id):
        from shop.fulfilment.models import FulfilmentPart
        from shop.fulfilment.services import part_due

        part = pickup_part_for_showroom(showroom=self.showroom, pk=part_id)
        back = reverse("showroom-stock:pickups", kwargs={"code": self.showroom.code})
        form = HandOverForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.first_error())
            return redirect(back)
        is_cash = _is_cash(part)
        due = part_due(part)
        if is_cash and not form.cleaned_data["cash_received"] and part.status != FulfilmentPart.Status.DELIVERED:
            messages.error(request, _("Đơn %(number)s: hãy thu đủ %(due)s rồi đánh dấu “Đã thu đủ” trước khi giao.") % {
                "number": part.order.number, "due": dong_text(due)})
            return redirect(back)
        try:
            services.pickup_hand_over(part=part, actor=request.user, cash=due if is_cash else None)
        except ShelfRefused as refused:
            messages.error(request, _("Đơn %(number)s: %(reason)s") % {"number": part.order.number, "reason": refused})
            return redirect(back)
        if is_cash:
            messages.success(request, _("Đã giao đơn %(number)s cho khách và thu %(due)s.") % {
                "number": part.order.number, "due": dong_text(due)})
        else:
            messages.success(request, _("Đã giao đơn %(number)s cho khách.") % {"number": part.order.number})
        return redirect(back)

