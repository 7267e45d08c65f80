"""person_erase on a realistic shopper: orders kept for accounting without the person, everything else of theirs
gone or anonymous, consents kept without the link, refusals that write nothing, and a second call that changes
nothing."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.test import TestCase
from django.utils import timezone
from oscar.core.loading import get_model

from livestream.models import HostIdentityCheck, LiveReminder, LiveSession
from shop.fulfilment.models import FulfilmentPart, OrderDelivery
from showrooms.models import ShowroomMembership
from tests.support.catalogue import make_producer
from tests.support.livestream import make_host, make_session
from tests.support.privacy import Basket, Email, Notification, ProductAlert, ProductReview, UserAddress, WishList
from tests.support.privacy import shopper_order, shopper_with_history
from tests.support.showrooms import make_showroom
from users.models import PrivacyConsent
from users.privacy.services import PLACEHOLDER, ErasureRefused, person_erase

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
User = get_user_model()


def erase(user):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return person_erase(user=user)


def signed_in_session(user) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@pytest.fixture
def lan(django_user_model):
    return shopper_with_history(django_user_model, host=make_host(django_user_model))


@pytest.fixture
def binh(django_user_model):
    return shopper_with_history(django_user_model, email="binh@example.vn")


def test_orders_stay_for_accounting_without_the_person(lan, binh):
    totals = {order.number: order.total_incl_tax for order in lan.orders}
    places = {order.pk: (order.delivery.province_id, order.delivery.commune_id) for order in lan.orders}
    lines = {
        order.pk: list(order.lines.values_list("title", "quantity", "line_price_incl_tax")) for order in lan.orders
    }

    result = erase(lan.user)

    assert result.orders == 2 and not result.already
    for order in Order.objects.filter(pk__in=[o.pk for o in lan.orders]).select_related("shipping_address", "delivery"):
        assert order.total_incl_tax == totals[order.number]  # the accounts are untouched
        assert list(order.lines.values_list("title", "quantity", "line_price_incl_tax")) == lines[order.pk]
        assert (order.delivery.province_id, order.delivery.commune_id) == places[order.pk]  # for the reports
        address = order.shipping_address
        assert (address.first_name, address.line1, str(address.phone_number or "")) == (PLACEHOLDER, PLACEHOLDER, "")
        assert address.line4 == order.delivery.province.name and address.line2 == order.delivery.commune.name
        assert "Nguyễn Văn Cừ" not in address.search_text and "Trần Hưng Đạo" not in address.search_text
        assert (order.delivery.full_name, order.delivery.phone, order.delivery.note) == (PLACEHOLDER, "", "")
        assert order.guest_email == "" and order.email == f"erased-{lan.user.pk}@invalid"
        assert order.parts.count() >= 1 and order.ocop_payment.amount == totals[order.number]

    other = binh.orders[0]  # someone else's order keeps its person
    other.refresh_from_db()
    assert other.delivery.phone == "+84987654321"
    assert other.shipping_address.line1 == "45 Nguyễn Văn Cừ, khóm Đông Thịnh"


def test_the_account_and_what_hangs_on_it_are_gone(lan, binh):
    user, product = lan.user, lan.products[0]
    session_key = signed_in_session(user)
    theirs = signed_in_session(binh.user)
    AccessAttempt.objects.create(username=user.email, ip_address="203.0.113.9", user_agent="x", failures_since_start=1,
                                 get_data="", post_data="", http_accept="", path_info="/")
    AccessLog.objects.create(username=user.email, ip_address="203.0.113.9", user_agent="x", http_accept="",
                             path_info="/")

    erase(user)

    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@invalid" and (user.first_name, user.last_name) == ("", "")
    assert not user.is_active and not user.has_usable_password()
    for model, owner in ((UserAddress, "user"), (WishList, "owner"), (LiveReminder, "user"), (ProductAlert, "user"),
                         (Notification, "recipient"), (Email, "user")):
        assert not model.objects.filter(**{owner: user}).exists(), model.__name__
    assert not Basket.objects.filter(owner=user, status=Basket.OPEN).exists()
    review = ProductReview.objects.get(product=product, user=user)
    assert review.body == "Nấu cơm rất ngon." and "Lan" not in str(review.reviewer_name)
    assert not Session.objects.filter(session_key=session_key).exists()
    assert SessionStore(session_key=session_key).load() == {}
    assert Session.objects.filter(session_key=theirs).exists()  # someone else stays signed in
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()

    # The other shopper keeps everything.
    assert UserAddress.objects.filter(user=binh.user).count() == 1
    assert WishList.objects.filter(owner=binh.user).count() == 1
    assert Basket.objects.filter(owner=binh.user, status=Basket.OPEN).count() == 1


def test_consents_are_kept_as_proof_without_the_person(lan):
    numbers = sorted(order.number for order in lan.orders)
    before = PrivacyConsent.objects.count()

    erase(lan.user)

    assert PrivacyConsent.objects.count() == before
    assert not PrivacyConsent.objects.filter(user=lan.user).exists()
    kept = PrivacyConsent.objects.filter(order_number__in=numbers)
    assert sorted(kept.values_list("order_number", flat=True)) == numbers
    assert set(kept.values_list("email", flat=True)) == {""}


def test_a_second_erasure_changes_nothing(lan):
    erase(lan.user)
    user = User.objects.get(pk=lan.user.pk)
    snapshot = (user.password, list(Order.objects.filter(user=user).values_list("shipping_address__line1", flat=True)))

    again = erase(user)

    assert again.already and again.orders == 0
    user.refresh_from_db()
    assert (user.password, list(Order.objects.filter(user=user).values_list("shipping_address__line1", flat=True))) \
        == snapshot


def test_an_unfinished_order_refuses_and_nothing_is_written(django_user_model):
    history = shopper_with_history(django_user_model, finished=False)
    user = history.user

    with pytest.raises(ErasureRefused) as refused:
        erase(user)

    assert history.orders[0].number in refused.value.messages[0]
    user.refresh_from_db()
    assert user.email.startswith("lan") and user.is_active
    assert UserAddress.objects.filter(user=user).exists()
    assert OrderDelivery.objects.get(order=history.orders[1]).full_name != PLACEHOLDER

    FulfilmentPart.objects.filter(order__user=user).update(status=FulfilmentPart.Status.DELIVERED)
    Order.objects.filter(user=user).update(status="completed")
    assert erase(user).orders == 2


def test_open_return_and_refund_due_refuse(django_user_model):
    from shop.fulfilment.models import ReturnRequest

    history = shopper_with_history(django_user_model)
    part = history.orders[0].parts.first()
    ReturnRequest.objects.create(part=part, reason="Bao bì bị rách")
    with pytest.raises(ErasureRefused):
        erase(history.user)
    ReturnRequest.objects.filter(part=part).update(status=ReturnRequest.Status.ACCEPTED)
    assert erase(history.user).orders == 2


@pytest.mark.parametrize("role", ["staff", "producer", "clerk", "upcoming_host"])
def test_people_the_programme_still_needs_are_refused(django_user_model, role):
    history = shopper_with_history(django_user_model)
    user = history.user
    if role == "staff":
        User.objects.filter(pk=user.pk).update(is_staff=True)
    elif role == "producer":
        make_producer(name="HTX Thốt Nốt").users.add(user)
    elif role == "clerk":
        ShowroomMembership.objects.create(showroom=make_showroom(name="Điểm OCOP Tịnh Biên"), user=user)
    else:
        HostIdentityCheck.objects.create(user=user, method="vneid", checked_on=timezone.localdate(),
                                         checked_by=make_host(django_user_model))
        make_session(host=user, products=[history.products[0]], start=timezone.now() + dt.timedelta(days=2))
    user.refresh_from_db()

    with pytest.raises(ErasureRefused) as refused:
        erase(user)

    assert "Ban điều phối" in " ".join(refused.value.messages)
    user.refresh_from_db()
    assert user.is_active and user.has_usable_password()
    assert Order.objects.get(pk=history.orders[0].pk).delivery.phone == "+84987654321"


def test_a_past_host_is_refused_until_the_identity_record_may_go(django_user_model):
    history = shopper_with_history(django_user_model)
    user, checker = history.user, make_host(django_user_model)
    HostIdentityCheck.objects.create(user=user, method="chip_id", checked_on=dt.date(2022, 6, 1), checked_by=checker)
    ended = timezone.now() - dt.timedelta(days=400)
    LiveSession.objects.create(
        title="Chợ phiên cũ", slug="cho-phien-cu", host=user, scheduled_start=ended - dt.timedelta(hours=1),
        scheduled_end=ended, status=LiveSession.Status.ENDED, actual_start=ended - dt.timedelta(hours=1),
        actual_end=ended,
    )
    with pytest.raises(ErasureRefused) as refused:
        erase(user)
    assert "3 năm" in refused.value.messages[0]

    long_ago = timezone.now() - dt.timedelta(days=3 * 366 + 2)
    LiveSession.objects.filter(host=user).update(actual_end=long_ago, scheduled_end=long_ago,
                                                 scheduled_start=long_ago - dt.timedelta(hours=1),
                                                 actual_start=long_ago - dt.timedelta(hours=1))
    assert erase(user).orders == 2
    assert not HostIdentityCheck.objects.filter(user=user).exists()
    assert LiveSession.objects.get(slug="cho-phien-cu").host_id == user.pk  # the session's record stays


def test_a_verified_host_who_never_went_on_air_loses_the_check(django_user_model):
    history = shopper_with_history(django_user_model)
    HostIdentityCheck.objects.create(user=history.user, method="passport", checked_on=timezone.localdate(),
                                     checked_by=make_host(django_user_model))
    erase(history.user)
    assert not HostIdentityCheck.objects.filter(user=history.user).exists()


def test_a_guest_order_with_the_same_email_is_not_theirs_to_erase(django_user_model):
    """An account's email is not proof of owning a guest order placed with it: the programme office answers that."""
    history = shopper_with_history(django_user_model)
    email = history.user.email
    guest = shopper_order(history.user, [history.products[1]])
    Order.objects.filter(pk=guest.pk).update(user=None, guest_email=email)

    erase(history.user)

    guest.refresh_from_db()
    assert guest.guest_email == email and guest.delivery.phone == "+84987654321"
