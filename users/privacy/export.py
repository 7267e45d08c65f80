"""Everything we hold about a signed-in person, as one JSON-ready dict (Decree 13/2023/NĐ-CP, art. 9 and 14).

Only what is linked to the account: a guest order placed with the same email is not included (an account's email
is not proof of owning that address; the programme office answers such requests). The number of queries does not
depend on how many orders, lines or parts the person has (tests/functional/privacy/)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from oscar.core.loading import get_model

from users.models import PrivacyConsent

from .conf import notice_version

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
WishList = get_model("wishlists", "WishList")
ProductReview = get_model("reviews", "ProductReview")
ProductAlert = get_model("customer", "ProductAlert")
Notification = get_model("communication", "Notification")
Email = get_model("communication", "Email")
Partner = get_model("partner", "Partner")

FORMAT = "ocop-personal-data/1"


def _money(value) -> int | None:
    return None if value is None else int(Decimal(value))


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _address(address) -> dict | None:
    if address is None:
        return None
    data = {
        "name": " ".join(part for part in (address.first_name, address.last_name) if part),
        "line1": address.line1,
        "line2": address.line2,
        "line3": address.line3,
        "city_or_province": address.line4,
        "state": address.state,
        "postcode": address.postcode,
        "country": address.country.iso_3166_1_a2 if address.country_id else "",
    }
    if hasattr(address, "phone_number"):
        data["phone"] = str(address.phone_number or "")
        data["notes"] = address.notes
    return data


def _delivery(order) -> dict | None:
    delivery = getattr(order, "delivery", None)
    if delivery is None:
        return None
    return {
        "recipient": delivery.full_name,
        "phone": delivery.phone,
        "province": delivery.province.name if delivery.province else None,
        "commune": delivery.commune.name if delivery.commune else None,
        "pickup_showroom": delivery.pickup_showroom.name if delivery.pickup_showroom else None,
        "visit_date": _when(delivery.visit_date),
        "age_confirmed_at": _when(delivery.age_confirmed_at),
        "note": delivery.note,
    }


def _payment(order) -> dict | None:
    payment = getattr(order, "ocop_payment", None)
    if payment is None:
        return None
    return {
        "method": payment.method,
        "status": payment.status,
        "amount": _money(payment.amount),
        "captured": _money(payment.amount_captured),
        "refunded": _money(payment.amount_refunded),
        "reference": payment.reference,
        "paid_at": _when(payment.paid_at),
        "refunds": [
            {"amount": _money(refund.amount), "status": refund.status, "reason": refund.reason,
             "created_at": _when(refund.created_at)}
            for refund in payment.refunds.all()
        ],
    }


def _order(order) -> dict:
    return {
        "number": order.number,
        "placed_at": _when(order.date_placed),
        "status": order.status,
        "currency": order.currency,
        "total": _money(order.total_incl_tax),
        "shipping": _money(order.shipping_incl_tax),
        "shipping_method": order.shipping_method,
        "email": order.guest_email or None,
        "shipping_address": _address(order.shipping_address),
        "billing_address": _address(order.billing_address),
        "delivery": _delivery(order),
        "lines": [
            {"title": line.title, "code": line.upc, "producer": line.partner_name, "quantity": line.quantity,
             "price": _money(line.line_price_incl_tax),
             "price_before_discounts": _money(line.line_price_before_discounts_incl_tax), "status": line.status}
            for line in order.lines.all()
        ],
        "payment": _payment(order),
        "parts": [
            {
                "producer": part.producer.name,
                "status": part.status,
                "shipping_fee": _money(part.shipping_fee),
                "carrier": part.carrier,
                "tracking_number": part.tracking_number,
                "cash_collected": _money(part.cash_collected),
                "confirmed_at": _when(part.confirmed_at),
                "shipped_at": _when(part.shipped_at),
                "delivered_at": _when(part.delivered_at),
                "cancelled_at": _when(part.cancelled_at),
                "returns": [
                    {"reason": item.reason, "status": item.status, "answer": item.answer,
                     "created_at": _when(item.created_at)}
                    for item in part.returns.all()
                ],
            }
            for part in order.parts.all()
        ],
        "complaints": [
            {"message": item.message, "status": item.status, "answer": item.answer,
             "created_at": _when(item.created_at)}
            for item in order.complaints.all()
        ],
    }


def _orders(user) -> list[dict]:
    from shop.fulfilment.models import FulfilmentPart

    orders = (
        Order.objects.filter(user=user)
        .select_related(
            "shipping_address__country", "billing_address__country", "delivery__province", "delivery__commune",
            "delivery__pickup_showroom", "ocop_payment",
        )
        .prefetch_related(
            "lines",
            Prefetch("parts", queryset=FulfilmentPart.objects.select_related("producer").prefetch_related("returns")),
            "complaints",
            "ocop_payment__refunds",
        )
        .order_by("date_placed", "pk")
    )
    return [_order(order) for order in orders]


def person_export(*, user) -> dict:
    """The signed-in person's data. Reads only; a constant number of queries."""
    from livestream.models import HostIdentityCheck, LiveReminder, LiveSession
    from showrooms.models import ShowroomMembership

    return {
        "format": FORMAT,
        "exported_at": _when(timezone.now()),
        "notice_version": notice_version(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "addresses": [
            _address(address)
            for address in UserAddress.objects.filter(user=user).select_related("country").order_by("pk")
        ],
        "orders": _orders(user),
        "wish_lists": [
            {"name": wish_list.name, "visibility": wish_list.visibility, "created_at": _when(wish_list.date_created),
             "products": [{"title": line.title, "quantity": line.quantity} for line in wish_list.lines.all()]}
            for wish_list in WishList.objects.filter(owner=user).prefetch_related("lines").order_by("pk")
        ],
        "reviews": [
            {"product": review.product.get_title() if review.product else None, "score": review.score,
             "title": review.title, "body": review.body, "status": review.status,
             "created_at": _when(review.date_created)}
            for review in ProductReview.objects.filter(user=user).select_related("product__parent").order_by("pk")
        ],
        "stock_alerts": [
            {"product": alert.product.get_title(), "status": alert.status, "created_at": _when(alert.date_created)}
            for alert in ProductAlert.objects.filter(user=user).select_related("product__parent").order_by("pk")
        ],
        "live_reminders": [
            {"session": reminder.session.title, "starts_at": _when(reminder.session.scheduled_start),
             "email": reminder.email, "confirmed_at": _when(reminder.confirmed_at),
             "unsubscribed_at": _when(reminder.unsubscribed_at), "created_at": _when(reminder.created_at)}
            for reminder in LiveReminder.objects.filter(user=user).select_related("session").order_by("pk")
        ],
        "consents": [
            {"purpose": consent.purpose, "order_number": consent.order_number or None,
             "notice_version": consent.notice_version, "given_at": _when(consent.given_at)}
            for consent in PrivacyConsent.objects.filter(user=user).order_by("given_at", "pk")
        ],
        "producer_memberships": [
            {"producer": name, "code": code}
            for name, code in Partner.objects.filter(users=user).order_by("name").values_list("name", "code")
        ],
        "showroom_memberships": [
            {"showroom": name}
            for name in ShowroomMembership.objects.filter(user=user).order_by("showroom__name")
            .values_list("showroom__name", flat=True)
        ],
        "hosted_live_sessions": [
            {"title": title, "starts_at": _when(start), "status": status}
            for title, start, status in LiveSession.objects.filter(host=user).order_by("scheduled_start")
            .values_list("title", "scheduled_start", "status")
        ],
        "host_identity_checks": [
            {"method": method, "checked_on": _when(checked_on)}
            for method, checked_on in HostIdentityCheck.objects.filter(user=user).order_by("checked_on")
            .values_list("method", "checked_on")
        ],
        "notifications": [
            {"subject": subject, "body": body, "sent_at": _when(sent)}
            for subject, body, sent in Notification.objects.filter(recipient=user).order_by("date_sent")
            .values_list("subject", "body", "date_sent")
        ],
        "emails_sent": [
            {"to": email, "subject": subject, "sent_at": _when(sent)}
            for email, subject, sent in Email.objects.filter(user=user).order_by("date_sent")
            .values_list("email", "subject", "date_sent")
        ],
    }
