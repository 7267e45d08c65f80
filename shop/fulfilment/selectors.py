"""Reads for the seller area and the shopper's order page, always scoped to who is asking."""

from django.shortcuts import get_object_or_404
from oscar.core.loading import get_model

from .models import FulfilmentPart

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Partner = get_model("partner", "Partner")


def producers_of_user(user):
    """The producers a user works for (Oscar's Partner.users is the membership)."""
    if not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(users=user)


def parts_for_seller(*, user, status: str | None = None):
    """A producer user's parts: only their producers' parts, with the lines counted in one query."""
    parts = (
        FulfilmentPart.objects.filter(producer__in=producers_of_user(user))
        .select_related("order", "producer")
        .order_by("-order__date_placed", "-pk")
    )
    if status:
        parts = parts.filter(status=status)
    return parts


def part_for_seller(*, user, pk: int) -> FulfilmentPart:
    """Someone else's part is a 404."""
    return get_object_or_404(
        parts_for_seller(user=user).select_related("order__shipping_address", "order__delivery"), pk=pk
    )


def part_lines(part: FulfilmentPart):
    return list(Line.objects.filter(order_id=part.order_id, partner_id=part.producer_id).select_related("product"))


def lines_by_part(parts) -> dict[int, list]:
    """Lines for many parts in one query (list pages and exports)."""
    parts = list(parts)
    keys = {(p.order_id, p.producer_id): p.pk for p in parts}
    result: dict[int, list] = {p.pk: [] for p in parts}
    if not parts:
        return result
    lines = Line.objects.filter(order_id__in={p.order_id for p in parts}, partner_id__in={p.producer_id for p in parts})
    for line in lines.order_by("pk"):
        pk = keys.get((line.order_id, line.partner_id))
        if pk is not None:
            result[pk].append(line)
    return result


def order_for_shopper(*, number: str, key: str):
    """The order page link carries Oscar's signed verification hash; a wrong one is a 404."""
    order = get_object_or_404(Order.objects.select_related("ocop_payment", "delivery", "shipping_address"), number=number)
    if not order.check_verification_hash(key):
        from django.http import Http404

        raise Http404
    return order


def order_parts_with_lines(order) -> list[FulfilmentPart]:
    parts = list(order.parts.select_related("producer").prefetch_related("returns", "events"))
    grouped = lines_by_part(parts)
    for part in parts:
        part.line_list = grouped[part.pk]
    return parts
