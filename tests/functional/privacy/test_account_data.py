"""A shopper's own data from their account, over real HTTP: the account tab, the download (one JSON file, never
cached, constant queries), and erasure in two steps (password, then confirm) that signs them out everywhere, keeps
their orders without them, refuses while something still needs them, and touches nobody else."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from shop.fulfilment.models import FulfilmentPart, ReturnRequest
from shop.payments.models import Refund
from showrooms.models import ShowroomMembership
from tests.support.catalogue import make_producer
from tests.support.checkout import committed
from tests.support.livestream import make_host
from tests.support.privacy import PASSWORD, UserAddress, shopper_order, shopper_with_history
from tests.support.showrooms import make_showroom
from users.privacy.forms import erase_token
from users.privacy.services import PLACEHOLDER

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
User = get_user_model()
PAGE = "/shop/accounts/privacy/"
DOWNLOAD = "/shop/accounts/privacy/download/"
ERASE = "/shop/accounts/privacy/erase/"


@pytest.fixture
def lan(django_user_model):
    return shopper_with_history(django_user_model, email="lan@example.vn", host=make_host(django_user_model))


@pytest.fixture
def binh(django_user_model):
    return shopper_with_history(django_user_model, email="binh@example.vn")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def confirmation_from(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.search(r'name="confirmation" value="([^"]+)"', response.content.decode()).group(1)


def erase_all_the_way(client) -> object:
    token = confirmation_from(client.post(ERASE, {"password": PASSWORD}))
    return committed(client.post, ERASE, {"confirmation": token})


# ---------------------------------------------------------------- the page
def test_the_account_area_links_the_privacy_page(client, lan):
    assert client.get(PAGE)["Location"].startswith("/shop/accounts/login/")
    client.force_login(lan.user)
    profile = client.get("/shop/accounts/profile/").content.decode()
    assert f'href="{PAGE}"' in profile
    page = client.get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert f'href="{DOWNLOAD}"' in html and f'action="{ERASE}#erase"' in html and 'name="password"' in html
    assert 'href="/privacy/"' in html


# ---------------------------------------------------------------- download
def test_the_download_holds_everything_of_theirs_and_nothing_of_anyone_else(lan, binh):
    make_producer(name="HTX Thốt Nốt Tri Tôn").users.add(lan.user)
    ShowroomMembership.objects.create(showroom=make_showroom(name="Điểm OCOP Châu Đốc"), user=lan.user)
    client = signed_in(lan.user)

    response = client.get(f"{DOWNLOAD}?user={binh.user.pk}")  # no way to name someone else

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert re.fullmatch(r'attachment; filename="du-lieu-ca-nhan-\d{8}\.json"', response["Content-Disposition"])
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    text = response.content.decode()
    data = json.loads(text)
    assert data["account"]["email"] == "lan@example.vn" and data["account"]["last_name"] == "Nguyễn Thị"
    assert [a["line1"] for a in data["addresses"]] == ["45 Nguyễn Văn Cừ"] and data["addresses"][0]["phone"]
    assert [o["number"] for o in data["orders"]] == [o.number for o in lan.orders]
    first = data["orders"][0]
    assert first["total"] == int(lan.orders[0].total_incl_tax)
    assert {line["title"] for line in first["lines"]} == {p.get_title() for p in lan.products}
    assert {part["status"] for part in first["parts"]} == {"delivered"} and len(first["parts"]) == 2
    assert first["payment"]["method"] == "cod" and first["delivery"]["phone"] == "+84987654321"
    assert first["shipping_address"]["line1"] == "45 Nguyễn Văn Cừ, khóm Đông Thịnh"
    assert data["wish_lists"][0]["products"][0]["title"] == lan.products[0].get_title()
    assert data["reviews"][0]["body"] == "Nấu cơm rất ngon."
    assert data["live_reminders"][0]["session"] == lan.session.title
    assert {(c["purpose"], c["order_number"]) for c in data["consents"]} == {
        ("account", None), *(("order", o.number) for o in lan.orders)
    }
    assert [m["producer"] for m in data["producer_memberships"]] == ["HTX Thốt Nốt Tri Tôn"]
    assert data["showroom_memberships"] == [{"showroom": "Điểm OCOP Châu Đốc"}]
    assert data["stock_alerts"] and data["notifications"] and data["emails_sent"]
    # Nothing of Bình's.
    assert "binh@example.vn" not in text and not any(o.number in text for o in binh.orders)


def test_the_download_costs_the_same_whatever_the_number_of_orders(lan):
    client = signed_in(lan.user)

    def queries() -> int:
        client.get(DOWNLOAD)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DOWNLOAD).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(4):  # more orders, each with lines from two producers, parts, a refund and a return
        order = shopper_order(lan.user, lan.products)
        Refund.objects.create(payment=order.ocop_payment, amount=1000, idempotency_key=f"r-{order.number}",
                              status=Refund.Status.SUCCEEDED)
        ReturnRequest.objects.create(part=order.parts.first(), reason="Hỏng", status=ReturnRequest.Status.REJECTED)
    many = queries()
    assert len(json.loads(client.get(DOWNLOAD).content)["orders"]) == 6
    assert few == many, f"{few} queries for 2 orders, {many} for 6"


# ---------------------------------------------------------------- erasure
def test_erasure_asks_the_password_then_a_confirmation_then_signs_out_everywhere(lan, binh):
    client, other_browser = signed_in(lan.user), signed_in(lan.user)
    order = lan.orders[0]

    wrong = client.post(ERASE, {"password": "khong-dung"})
    assert wrong.status_code == 400 and "Mật khẩu không đúng" in wrong.content.decode()
    confirm = client.post(ERASE, {"password": PASSWORD})
    token = confirmation_from(confirm)
    assert "Xoá vĩnh viễn tài khoản của tôi" in confirm.content.decode()
    assert User.objects.get(pk=lan.user.pk).is_active  # nothing happens before the final button

    done = committed(client.post, ERASE, {"confirmation": token})

    assert done.status_code == 302 and done["Location"] == "/privacy/erased/"
    assert "đã được xoá" in client.get("/privacy/erased/").content.decode()
    assert client.get(PAGE)["Location"].startswith("/shop/accounts/login/")  # signed out here...
    assert other_browser.get("/shop/accounts/profile/")["Location"].startswith("/shop/accounts/login/")  # ...and there
    sign_in = Client().post("/shop/accounts/login/", {"login-username": "lan@example.vn", "login-password": PASSWORD,
                                                       "login_submit": "Log In"})
    assert sign_in.status_code == 200  # the form again: the old email and password open nothing
    order.refresh_from_db()
    assert order.total_incl_tax > 0 and order.delivery.full_name == PLACEHOLDER and order.delivery.phone == ""
    assert not UserAddress.objects.filter(user=lan.user).exists()

    # The same final button again (a double click, a resend): nothing more happens.
    again = committed(client.post, ERASE, {"confirmation": token})
    assert again.status_code == 302 and again["Location"].startswith("/shop/accounts/login/")
    # Bình is untouched.
    assert signed_in(binh.user).get(PAGE).status_code == 200
    assert UserAddress.objects.filter(user=binh.user).count() == 1
    assert Order.objects.get(pk=binh.orders[0].pk).delivery.phone == "+84987654321"


def test_someone_elses_confirmation_erases_nobody(lan, binh):
    client = signed_in(lan.user)
    response = committed(client.post, ERASE, {"confirmation": erase_token(binh.user)}, follow=True)
    assert "hết hạn" in response.content.decode()
    response = committed(client.post, ERASE, {"confirmation": "gia-mao"}, follow=True)
    assert "hết hạn" in response.content.decode()
    assert User.objects.filter(pk__in=[lan.user.pk, binh.user.pk], is_active=True).count() == 2


def test_guessing_the_password_on_the_erasure_page_locks_like_the_login_form(lan):
    """A stolen session cannot try passwords here without limit: django-axes counts these failures too."""
    client = signed_in(lan.user)
    answers = [client.post(ERASE, {"password": f"doan-mo-{n}"}).status_code for n in range(5)]
    assert answers[:4] == [400] * 4 and answers[4] == 429
    assert client.post(ERASE, {"password": PASSWORD}).status_code == 429  # locked: not even the right one
    assert User.objects.get(pk=lan.user.pk).is_active


def test_a_password_change_voids_a_pending_confirmation(lan):
    client = signed_in(lan.user)
    token = confirmation_from(client.post(ERASE, {"password": PASSWORD}))
    user = User.objects.get(pk=lan.user.pk)
    user.set_password("Mat-khau-moi-7!")
    user.save()
    client.force_login(user)
    committed(client.post, ERASE, {"confirmation": token})
    assert User.objects.get(pk=user.pk).is_active


def test_an_unfinished_order_is_named_with_what_to_do(django_user_model, settings):
    settings.OCOP_PRIVACY_CONTACT_EMAIL = "dulieu@ocop.angiang.gov.vn"
    history = shopper_with_history(django_user_model, finished=False)
    client = signed_in(history.user)

    html = client.get(PAGE).content.decode()
    blockers = html[html.index('data-testid="erase-blockers"'):]
    assert history.orders[0].number in blockers and "dulieu@ocop.angiang.gov.vn" in blockers
    assert 'name="password"' not in html
    assert client.post(ERASE, {"password": PASSWORD}).status_code == 409
    assert client.post(ERASE, {"confirmation": erase_token(history.user)}).status_code == 302
    assert User.objects.get(pk=history.user.pk).is_active

    FulfilmentPart.objects.filter(order__user=history.user).update(status=FulfilmentPart.Status.DELIVERED)
    Order.objects.filter(user=history.user).update(status="completed")
    assert erase_all_the_way(client)["Location"] == "/privacy/erased/"


def test_oscars_delete_profile_leads_to_the_erasure_page(lan):
    client = signed_in(lan.user)
    assert client.get("/shop/accounts/profile/delete/")["Location"] == PAGE
    response = client.post("/shop/accounts/profile/delete/", {"password": PASSWORD})
    assert response["Location"] == PAGE
    assert User.objects.get(pk=lan.user.pk).email == "lan@example.vn"
