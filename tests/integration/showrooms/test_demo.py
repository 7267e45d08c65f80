"""The demo showrooms: loaded twice, created once; the shelf ledger holds; pages, staff and permissions in place."""

import pytest
from django.contrib.auth.models import Group
from django.db.models import Sum

from catalogue.certification import ocop_today
from catalogue.demo import PROGRAMME_GROUP, SHOWROOM, load_demo_data
from showrooms.demo import AREAS, SHOWROOMS, next_tet, shelf_history, tet_exceptions
from showrooms.models import OpeningException, ShelfStock, Showroom, ShowroomMembership, StockMovement
from showrooms.pages import AreaIndexPage, ShowroomIndexPage, ShowroomPage
from showrooms.selectors import shelf_for_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    first = load_demo_data()
    second = load_demo_data()
    return first, second


def test_demo_load_twice_creates_showrooms_once(demo):
    first, second = demo
    assert first["created"]["showrooms"] == len(SHOWROOMS) and first["created"]["shelf moves"] > 0
    assert first["created"]["showroom pages"] == 1 + len(AREAS) + len(SHOWROOMS)
    assert {name: second["created"][name] for name in ("showrooms", "showroom pages", "shelf moves")} == {
        "showrooms": 0, "showroom pages": 0, "shelf moves": 0
    }
    assert first["totals"] == second["totals"]
    assert second["totals"]["showrooms"] == len(SHOWROOMS)


def test_demo_ledger_level_is_the_sum_of_movements(demo):
    rows = ShelfStock.objects.filter(showroom__code__in=[row.code for row in SHOWROOMS])
    assert rows.count() >= len(SHOWROOMS) * 5
    for shelf in rows:
        movements = StockMovement.objects.filter(showroom=shelf.showroom, product=shelf.product)
        total = movements.aggregate(s=Sum("delta"))["s"]
        assert shelf.quantity == total, shelf
    reasons = set(StockMovement.objects.values_list("reason", flat=True))
    assert {"delivery", "sale", "count", "transfer_out", "transfer_in"} <= reasons


def test_demo_pages_shelves_and_staff(demo):
    index = ShowroomIndexPage.objects.get()
    assert index.url_path.endswith("/diem-ban-ocop/")
    assert AreaIndexPage.objects.child_of(index).count() == len(AREAS)
    for row in SHOWROOMS:
        showroom = Showroom.objects.get(code=row.code)
        page = ShowroomPage.objects.get(showroom=showroom)
        assert page.get_parent().slug == row.area_slug and page.live
        assert page.photos.count() == 2 and page.nearby.exists()
        assert showroom.hours.exists() and showroom.latitude is not None
        levels = {product.shelf_level for product in shelf_for_page(showroom=showroom)}
        assert "in_stock" in levels and "few_left" in levels
    clerk_showrooms = ShowroomMembership.objects.filter(user__email=SHOWROOM.email).values_list(
        "showroom__code", flat=True
    )
    assert sorted(clerk_showrooms) == ["chau-doc", "nui-sam"]
    programme = Group.objects.get(name=PROGRAMME_GROUP)
    granted = programme.permissions.filter(content_type__app_label="showrooms")
    codenames = set(granted.values_list("codename", flat=True))
    assert {"change_showroom", "add_showroom", "view_shelfstock", "view_stockmovement"} <= codenames
    if next_tet(ocop_today()):  # the table of Tết days runs to 2035
        assert OpeningException.objects.filter(showroom__code="chau-doc", closed=True).count() == 3
        assert OpeningException.objects.filter(showroom__code="chau-doc", closed=False).count() == 1


def test_demo_pages_render(client, demo):
    pages = [*ShowroomIndexPage.objects.all(), *AreaIndexPage.objects.all(), *ShowroomPage.objects.all()]
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url


def test_tet_plan_and_shelf_histories_are_plain_data():
    import datetime as dt
    import random

    assert next_tet(dt.date(2026, 11, 28)) == dt.date(2027, 2, 6)
    assert next_tet(dt.date(2027, 2, 8)) == dt.date(2027, 2, 6), "still Tết on day 3"
    closed = [row for row in tet_exceptions(tet=dt.date(2027, 2, 6), tourist=False) if row["closed"]]
    assert [row["date"].day for row in closed] == [6, 7, 8]
    rng = random.Random(1)
    for ending in ("plenty", "few", "sold_out"):
        level = 0
        for step in shelf_history(rng=rng, ending=ending):
            if step.action == "count":
                level = step.quantity
            else:
                level += step.quantity if step.action == "receive" else -step.quantity
            assert level >= 0
        assert {"plenty": level > 3, "few": 0 < level <= 3, "sold_out": level == 0}[ending]
