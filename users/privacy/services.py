"""Writes for personal data (Decree 13/2023/NĐ-CP): consents, a person's erasure, and retention purges.

Erasure keeps what the law or the programme still needs without the person: orders stay for accounting (amounts,
lines, the province and commune/ward of delivery for the programme's reports) with names, email, phone and street
replaced; the account row stays as an anonymous, inactive, password-less row, so every record that points at it
(orders, reviews, ledger rows) keeps pointing at nobody in particular.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import partial
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.certification import add_months, ocop_today
from users.models import PrivacyConsent

from .conf import ACCOUNTING_YEARS, LIVESTREAM_RECORD_YEARS, LOGIN_RECORD_DAYS, notice_version
from .selectors import erased_email, erasure_blockers, identity_checks_expired, person_is_erased

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
UserAddress = get_model("address", "UserAddress")
Basket = get_model("basket", "Basket")
WishList = get_model("wishlists", "WishList")
ProductReview = get_model("reviews", "ProductReview")
ProductAlert = get_model("customer", "ProductAlert")
Notification = get_model("communication", "Notification")
Email = get_model("communication", "Email")
UserRecord = get_model("analytics", "UserRecord")
UserProductView = get_model("analytics", "UserProductView")
UserSearch = get_model("analytics", "UserSearch")

# What erased names and street lines read as (stored data, not a translated string).
PLACEHOLDER = "[đã xoá]"
ORDER_BATCH = 500


class ErasureRefused(Exception):
    """Nothing was written; each message says what stands in the way and what to do."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


# ---------------------------------------------------------------- consent
def consent_record(*, purpose: str, user=None, order_number: str = "", email: str = "",
                   version: str | None = None) -> PrivacyConsent:
    """Once per order (purpose "order") or per account and notice version (purpose "account"): the same consent
    recorded twice is one row."""
    version = version or notice_version()
    if purpose == PrivacyConsent.Purpose.ORDER:
        lookup = {"purpose": purpose, "order_number": order_number}
    else:
        lookup = {"purpose": purpose, "user": user, "notice_version": version}
    defaults = {"user": user, "order_number": order_number, "email": "" if user else email, "notice_version": version}
    with transaction.atomic():
        consent, _created = PrivacyConsent.objects.get_or_create(**lookup, defaults=defaults)
    return consent


# ---------------------------------------------------------------- orders without the person
def _orders_anonymise(order_ids: list[int]) -> int:
    """Names, email, phone, street and notes of these orders replaced; province, commune/ward, amounts, lines,
    statuses and dates kept. Our checkout writes the street in line1, the commune/ward in line2, the province in
    line4 (shop/checkout/services.py)."""
    from livestream.models import LivePriceClaim
    from shop.fulfilment.models import OrderDelivery

    if not order_ids:
        return 0
    orders = Order.objects.filter(pk__in=order_ids)
    search_text = Concat(Value(PLACEHOLDER), Value(" "), F("line2"), Value(" "), F("line4"), output_field=CharField())
    address = {"title": "", "first_name": PLACEHOLDER, "last_name": "", "line1": PLACEHOLDER, "line3": "",
               "postcode": "", "search_text": search_text}
    ShippingAddress.objects.filter(pk__in=orders.values("shipping_address_id")).update(
        **address, phone_number="", notes=""
    )
    BillingAddress.objects.filter(pk__in=orders.values("billing_address_id")).update(**address)
    OrderDelivery.objects.filter(order_id__in=order_ids).update(full_name=PLACEHOLDER, phone="", note="")
    LivePriceClaim.objects.filter(order_line__order_id__in=order_ids).update(email="", phone="")
    return orders.update(guest_email="")


# ---------------------------------------------------------------- erasure
@dataclass
class Erasure:
    user_id: int
    orders: int = 0
    already: bool = False
    removed: dict = field(default_factory=dict)


def _sessions_delete(*, user_id: int) -> None:
    """Every stored session signed in as this user (their password is already unusable, so none of them would be
    accepted again; this removes what they hold). Reads the unexpired sessions once: erasures are rare."""
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    mine = []
    sessions = Session.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data")
    for key, data in sessions.iterator(chunk_size=2000):
        if str(store().decode(data).get("_auth_user_id")) == str(user_id):
            mine.append(key)
    for key in mine:
        store(session_key=key).delete()  # the database row and, for cached_db, the cached copy


def person_erase(*, user) -> Erasure:
    """Erase a person at their request (Decree 13, art. 16), in one transaction. Refused, with nothing written,
    while something still needs them (ErasureRefused). A second call for the same person changes nothing."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from livestream.models import HostIdentityCheck, LiveReminder

    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if person_is_erased(user):
            return Erasure(user_id=user.pk, already=True)
        problems = erasure_blockers(user=user)
        if problems:
            raise ErasureRefused(problems)
        old_email = user.email
        order_ids = list(Order.objects.filter(user=user).values_list("pk", flat=True))
        removed = {
            "addresses": UserAddress.objects.filter(user=user).delete()[0],
            "wish_lists": WishList.objects.filter(owner=user).delete()[0],
            "baskets": Basket.objects.filter(owner=user).exclude(status=Basket.SUBMITTED).delete()[0],
            "live_reminders": LiveReminder.objects.filter(user=user).delete()[0],
            "stock_alerts": ProductAlert.objects.filter(user=user).delete()[0],
            "notifications": Notification.objects.filter(recipient=user).delete()[0],
            "emails": Email.objects.filter(user=user).delete()[0],
            "history": sum(
                model.objects.filter(user=user).delete()[0] for model in (UserRecord, UserProductView, UserSearch)
            ),
            "identity_checks": HostIdentityCheck.objects.filter(user=user).delete()[0],  # never went on air
            "login_records": sum(
                model.objects.filter(username__iexact=old_email).delete()[0]
                for model in (AccessAttempt, AccessFailureLog, AccessLog)
            ),
        }
        ProductReview.objects.filter(user=user).update(name="", email="", homepage="")  # shown as "anonymous"
        orders = _orders_anonymise(order_ids)
        PrivacyConsent.objects.filter(user=user).update(user=None, email="")  # the proof stays, not the person
        user.email = erased_email(user.pk)
        user.first_name = user.last_name = ""
        user.set_unusable_password()
        user.is_active = False
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        transaction.on_commit(partial(_sessions_delete, user_id=user.pk))
    logger.info("privacy: account %s erased (%s orders kept without the person)", user.pk, orders)
    return Erasure(user_id=user.pk, orders=orders, removed=removed)


# ---------------------------------------------------------------- retention (manage.py privacy_purge)
def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def identity_checks_purge(*, today: dt.date | None = None) -> int:
    """Host identity checks past their retention (users/privacy/selectors.identity_checks_expired)."""
    from livestream.models import HostIdentityCheck

    with transaction.atomic():
        expired = identity_checks_expired(today=today)
        return HostIdentityCheck.objects.filter(pk__in=expired).delete()[0] if expired else 0


def orders_purge(*, today: dt.date | None = None) -> int:
    """Orders placed more than 10 years ago (the accounting period) lose the person, as an erasure would."""
    cutoff = _day_start(add_months(today or ocop_today(), -12 * ACCOUNTING_YEARS))
    still_personal = (
        Q(guest_email__gt="")
        | (Q(shipping_address__isnull=False) & ~Q(shipping_address__first_name=PLACEHOLDER))
        | (Q(delivery__isnull=False) & ~Q(delivery__full_name=PLACEHOLDER))
    )
    candidates = Order.objects.filter(still_personal, date_placed__lt=cutoff).order_by("pk")
    done, after = 0, 0
    while True:
        batch = list(candidates.filter(pk__gt=after).values_list("pk", flat=True)[:ORDER_BATCH])
        if not batch:
            return done
        with transaction.atomic():
            done += _orders_anonymise(batch)
        after = batch[-1]


def consents_purge(*, today: dt.date | None = None) -> int:
    """A guest's email on a consent older than the accounting period: the order number remains the proof."""
    cutoff = _day_start(add_months(today or ocop_today(), -12 * ACCOUNTING_YEARS))
    return PrivacyConsent.objects.filter(given_at__lt=cutoff).exclude(email="").update(email="")


def livestream_contacts_purge(*, today: dt.date | None = None) -> dict[str, int]:
    """With the session's records (3 years after it ended or was cancelled): its reminder emails, and the contact
    details of its answered complaints (the complaint and its answer stay)."""
    from livestream.models import LiveComplaint, LiveReminder, LiveSession

    cutoff = _day_start(add_months(today or ocop_today(), -12 * LIVESTREAM_RECORD_YEARS))
    Status = LiveSession.Status
    old = Q(session__status__in=(Status.ENDED, Status.CANCELLED), session__scheduled_end__lt=cutoff) & (
        Q(session__actual_end__isnull=True) | Q(session__actual_end__lt=cutoff)
    )
    with transaction.atomic():
        reminders = LiveReminder.objects.filter(old).delete()[0]
        complaints = (
            LiveComplaint.objects.filter(old, status=LiveComplaint.Status.ANSWERED)
            .exclude(name=PLACEHOLDER, email="", phone="")
            .update(name=PLACEHOLDER, email="", phone="")
        )
    return {"live_reminders": reminders, "live_complaint_contacts": complaints}


def login_records_purge(*, today: dt.date | None = None) -> int:
    """django-axes' records of sign-ins (the email typed and the IP address) older than 30 days."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = _day_start((today or ocop_today()) - dt.timedelta(days=LOGIN_RECORD_DAYS))
    with transaction.atomic():
        return sum(
            model.objects.filter(attempt_time__lt=cutoff).delete()[0]
            for model in (AccessAttempt, AccessFailureLog, AccessLog)
        )


def privacy_purge(*, today: dt.date | None = None) -> dict[str, int]:
    """Everything whose retention is over; run daily (idempotent: a second run finds nothing)."""
    today = today or ocop_today()
    counts = {
        "identity_checks": identity_checks_purge(today=today),
        "orders": orders_purge(today=today),
        "consent_emails": consents_purge(today=today),
    }
    counts.update(livestream_contacts_purge(today=today))
    counts["login_records"] = login_records_purge(today=today)
    return counts
