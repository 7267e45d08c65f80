"""Who sees what of a mixed order, through real HTTP requests: producers only their parts, the shopper their
order by its signed link, programme staff everything; and Oscar's order dashboard is closed to producers."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from oscar.core.loading import get_model

from reports.models import Sale
from shop.fulfilment.models import Complaint, FulfilmentPart, ReturnRequest
from shop.payments.models import Payment
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, committed, service_basket, service_place

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
Status = FulfilmentPart.Status


@pytest.fixture
def world(django_user_model):
    area = a_commune()
    mine, theirs = make_producer(name="HTX Của Tôi", area=area), make_producer(name="HTX Người Khác", area=area)
    seller = django_user_model.objects.create_user(email="seller@example.vn", password="x-pass-12345")
    rival = django_user_model.objects.create_user(email="rival@example.vn", password="x-pass-12345")
    staff = django_user_model.objects.create_user(email="staff@example.vn", password="x-pass-12345")
    staff.is_staff = True
    staff.save()
    mine.users.add(seller)
    theirs.users.add(rival)
    # Even with Oscar's partner dashboard permission, a producer must not reach the order dashboard.
    seller.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    my_product = make_certified_product(title="Bánh pía của tôi", price=Decimal("60000"), producer=mine)
    their_product = make_certified_product(title="Mật ong người khác", price=Decimal("95000"), producer=theirs)
    order = service_place(service_basket([(my_product, 1), (their_product, 2)]))
    return {
        "order": order, "seller": seller, "rival": rival, "staff": staff,
        "my_part": order.parts.get(producer=mine), "their_part": order.parts.get(producer=theirs),
    }


def test_seller_list_detail_and_export_show_only_their_own_part(client, world):
    client.force_login(world["seller"])
    listing = client.get("/shop/seller/orders/").content.decode()
    assert "Bánh pía của tôi" in listing and "Mật ong người khác" not in listing

    detail = client.get(f"/shop/seller/orders/{world['my_part'].pk}/").content.decode()
    assert "Bánh pía của tôi" in detail and "Mật ong người khác" not in detail
    assert "1 Lê Lợi" in detail  # the address they deliver to
    assert "190.000" not in detail  # the other producer's money is not shown

    export = client.get("/shop/seller/orders/export.csv").content.decode("utf-8-sig")
    assert "Bánh pía của tôi" in export and "Mật ong người khác" not in export


def test_another_producers_part_is_a_404_and_actions_on_it_change_nothing(client, world):
    client.force_login(world["seller"])
    theirs = world["their_part"]
    assert client.get(f"/shop/seller/orders/{theirs.pk}/").status_code == 404
    for data in ({"action": "shipped", "carrier": "X", "tracking_number": "1"}, {"action": "cancel"},
                 {"action": "packed"}, {"action": "cash", "amount": "210000"}):
        assert client.post(f"/shop/seller/orders/{theirs.pk}/", data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.CONFIRMED and theirs.cash_collected is None
    assert StockRecord.objects.get(product__title="Mật ong người khác").num_allocated == 2


def test_seller_fulfils_their_part_and_records_the_cash(client, world):
    client.force_login(world["seller"])
    part = world["my_part"]
    url = f"/shop/seller/orders/{part.pk}/"
    response = client.post(url, {"action": "shipped", "carrier": "", "tracking_number": ""}, follow=True)
    assert "Cần nhập đơn vị vận chuyển và mã vận đơn." in response.content.decode()
    committed(client.post, url, {"action": "shipped", "carrier": "GHTK", "tracking_number": "GH123"})
    client.post(url, {"action": "cash", "amount": "80000"})  # 60.000 ₫ + 20.000 ₫ shipping
    part.refresh_from_db()
    assert (part.status, part.tracking_number, part.cash_collected) == (Status.DELIVERED, "GH123", Decimal(80000))
    assert list(Sale.objects.values_list("title", flat=True)) == ["Bánh pía của tôi"]


def test_oscar_order_dashboard_is_closed_to_producers(client, world):
    client.force_login(world["seller"])
    number = world["order"].number
    for url in ("/shop/dashboard/orders/", f"/shop/dashboard/orders/{number}/",
                f"/shop/dashboard/orders/{number}/payment/", "/shop/dashboard/orders/after-sales/",
                "/shop/dashboard/orders/payments/statement/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Mật ong người khác" not in response.content.decode()
    response = client.post(f"/shop/dashboard/orders/{number}/", {"order_action": "change_order_status", "new_status": "cancelled"})
    assert response.status_code in (302, 403)
    world["order"].refresh_from_db()
    assert world["order"].status == "processing"


def test_staff_see_the_whole_order_and_mark_a_transfer_paid(client, world):
    order = service_place(service_basket([(world["my_part"].lines.first().product, 1)]), method="vietqr")
    client.force_login(world["staff"])
    assert client.get(f"/shop/dashboard/orders/{world['order'].number}/").status_code == 200
    page = client.get(f"/shop/dashboard/orders/{order.number}/payment/")
    assert page.status_code == 200 and "Chờ thanh toán" in page.content.decode()
    client.post(f"/shop/dashboard/orders/{order.number}/payment/", {"action": "mark_paid"})
    client.post(f"/shop/dashboard/orders/{order.number}/payment/", {"action": "mark_paid"})
    assert Payment.objects.get(order=order).status == "paid"
    assert Sale.objects.filter(order_line__order=order).count() == 1


def test_shopper_order_page_needs_the_signed_link(client, world):
    order = world["order"]
    good = client.get(f"/shop/orders/{order.number}/{order.verification_hash()}/")
    assert good.status_code == 200
    html = good.content.decode()
    assert "HTX Của Tôi" in html and "HTX Người Khác" in html and "Đã xác nhận" in html
    assert client.get(f"/shop/orders/{order.number}/{order.number}:forged/").status_code == 404
    assert client.post(f"/shop/orders/{order.number}/{order.number}:forged/", {"action": "cancel", "part": world["my_part"].pk}).status_code == 404
    world["my_part"].refresh_from_db()
    assert world["my_part"].status == Status.CONFIRMED


def test_shopper_cancels_one_part_and_complains_and_staff_answer(client, world):
    order = world["order"]
    url = f"/shop/orders/{order.number}/{order.verification_hash()}/"
    response = client.post(url, {"action": "cancel", "part": world["their_part"].pk}, follow=True)
    assert "Đã huỷ phần đơn của HTX Người Khác" in response.content.decode()
    assert StockRecord.objects.get(product__title="Mật ong người khác").num_allocated == 0
    client.post(url, {"action": "complain", "part": world["my_part"].pk, "message": "Chưa thấy giao"})
    complaint = Complaint.objects.get()

    client.force_login(world["staff"])
    listing = client.get("/shop/dashboard/orders/after-sales/").content.decode()
    assert "Chưa thấy giao" in listing
    committed(client.post, f"/shop/dashboard/orders/after-sales/complaint/{complaint.pk}/", {"answer": "Đã nhắc HTX"})
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.answered_by == world["staff"]


def test_return_request_with_a_photo_after_delivery(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from catalogue.demo import product_image_bytes

    part = world["my_part"]
    FulfilmentPart.objects.filter(pk=part.pk).update(status=Status.DELIVERED, delivered_at=part.created_at)
    order = world["order"]
    photo = SimpleUploadedFile("vo.jpg", product_image_bytes(title="vỡ", group_number=1), content_type="image/jpeg")
    response = client.post(f"/shop/orders/{order.number}/{order.verification_hash()}/",
                           {"action": "return", "part": part.pk, "reason": "Hộp bị móp", "photos": [photo]}, follow=True)
    assert "Đã gửi yêu cầu trả hàng" in response.content.decode(), response.content.decode()[-3000:]
    request = ReturnRequest.objects.get()
    assert request.reason == "Hộp bị móp" and request.photos.count() == 1


def test_staff_cancel_a_whole_order_from_oscars_dashboard_and_stock_comes_back(client, world):
    client.force_login(world["staff"])
    order = world["order"]
    response = client.post(f"/shop/dashboard/orders/{order.number}/",
                           {"order_action": "change_order_status", "new_status": "cancelled"}, follow=True)
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert set(order.parts.values_list("status", flat=True)) == {Status.CANCELLED}
    assert StockRecord.objects.get(product__title="Mật ong người khác").num_allocated == 0
    assert Payment.objects.get(order=order).status == "cancelled"


def test_staff_cannot_cancel_an_order_whose_part_has_shipped(client, world):
    from shop.fulfilment.services import part_advance

    part_advance(part=world["my_part"], to=Status.SHIPPED, actor=None, carrier="GHN", tracking_number="1")
    client.force_login(world["staff"])
    order = world["order"]
    response = client.post(f"/shop/dashboard/orders/{order.number}/",
                           {"order_action": "change_order_status", "new_status": "cancelled"}, follow=True)
    assert "HTX Của Tôi đã gửi đi" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "processing"
    assert StockRecord.objects.get(product__title="Mật ong người khác").num_allocated == 2


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request after login settles the session and basket
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.usefixtures("uncached")
def test_seller_and_after_sales_lists_cost_the_same_queries_for_2_or_8_items(client, world):
    from shop.fulfilment.services import complaint_create

    product = world["my_part"].lines.first().product
    complaint_create(order=world["order"], message="Lần 1")

    def grow(n):
        for i in range(n):
            order = service_place(service_basket([(product, 1)]))
            complaint_create(order=order, part=order.parts.get(), message=f"Khiếu nại {i}")

    client.force_login(world["seller"])
    grow(1)
    seller_small = _queries(client, "/shop/seller/orders/")
    export_small = _queries(client, "/shop/seller/orders/export.csv")
    client.force_login(world["staff"])
    staff_small = _queries(client, "/shop/dashboard/orders/after-sales/")
    grow(6)
    assert _queries(client, "/shop/dashboard/orders/after-sales/") == staff_small
    client.force_login(world["seller"])
    assert _queries(client, "/shop/seller/orders/") == seller_small
    assert _queries(client, "/shop/seller/orders/export.csv") == export_small


def test_a_guest_cancels_a_part_they_already_paid_by_transfer(client, world):
    product = world["my_part"].lines.first().product
    order = service_place(service_basket([(product, 1)]), method="vietqr")
    order.refresh_from_db()  # the number as stored (a string)
    from shop.payments.services import payment_mark_paid

    payment_mark_paid(payment=order.ocop_payment, amount=order.ocop_payment.amount)
    url = f"/shop/orders/{order.number}/{order.verification_hash()}/"
    response = committed(client.post, url, {"action": "cancel", "part": order.parts.get().pk}, follow=True)
    assert response.status_code == 200 and "Đã huỷ phần đơn" in response.content.decode()
    refund = order.ocop_payment.refunds.get()
    assert refund.status == "manual" and refund.created_by is None

    client.force_login(world["staff"])
    worklist = client.get("/shop/dashboard/orders/after-sales/").content.decode()
    assert "Hoàn tiền cần chuyển trả cho khách" in worklist and order.number in worklist
    client.post(f"/shop/dashboard/orders/{order.number}/payment/", {"action": "refund_done", "refund": refund.pk})
    refund.refresh_from_db()
    assert refund.status == "succeeded"
    assert order.number not in client.get("/shop/dashboard/orders/after-sales/").content.decode()


def test_cash_on_delivery_is_paid_when_the_only_other_part_is_cancelled(world):
    from shop.fulfilment.services import part_advance, part_cancel, part_due, part_record_cash

    part, other = world["my_part"], world["their_part"]
    part_advance(part=part, to=Status.SHIPPED, actor=None, carrier="GHN", tracking_number="1")
    part_record_cash(part=part, amount=part_due(part), actor=None)
    assert Payment.objects.get(order=world["order"]).status == "pending"
    part_cancel(part=other, reason="Hết hàng")
    payment = Payment.objects.get(order=world["order"])
    assert payment.status == "paid" and payment.amount == payment.amount_captured == part_due(part)


def test_export_cells_typed_by_shoppers_never_become_formulas(client, world):
    address = world["order"].shipping_address
    address.first_name = "=HYPERLINK(\"http://x\")"
    address.save()
    client.force_login(world["seller"])
    export = client.get("/shop/seller/orders/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in export
    assert "0912 345 678" in export  # phone numbers in the national form, not as +84…


def test_the_order_page_leads_back_to_the_card_step_on_any_device(client, world, settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    product = world["my_part"].lines.first().product
    order = service_place(service_basket([(product, 1)]), method="stripe")
    page = client.get(f"/shop/orders/{order.number}/{order.verification_hash()}/").content.decode()
    card_url = f"/shop/checkout/card/{order.number}/{order.verification_hash()}/"
    assert card_url in page
    assert client.get(f"/shop/checkout/card/{order.number}/{order.number}:forged/").status_code == 404
