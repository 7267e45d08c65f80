"""The ledger's demo history: after load_demo_data the programme dashboard has something in every chart (every
channel and platform, most months of the year, several former districts, every OCOP group, reversals), the plan's
targets and a closed quarter exist, programme staff may use the ledger, and a second load adds nothing."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db.models import Q

from catalogue.certification import add_months, ocop_today
from catalogue.demo import PROGRAMME, PROGRAMME_GROUP, UPC_PREFIX, load_demo_data
from catalogue.models import AdministrativeUnit, Product
from reports.demo import KEY_PREFIX, LEDGER_PERMISSIONS, NOTE, previous_quarter
from reports.models import ClosedPeriod, PlanTarget, Platform, Sale
from showrooms.demo import SHOWROOMS

pytestmark = pytest.mark.django_db


def test_the_demo_gives_every_chart_something_and_a_second_load_adds_nothing():
    first = load_demo_data()
    rows_after_first = Sale.objects.count()
    second = load_demo_data()

    assert Sale.objects.count() == rows_after_first
    assert second["created"]["ledger rows (sample)"] == 0
    assert second["created"]["closed periods"] == second["created"]["plan targets"] == 0
    assert second["totals"] == first["totals"]
    assert first["created"]["ledger rows (sample)"] == first["totals"]["ledger rows (sample)"] > 500

    check_every_channel_and_every_platform_has_rows()
    check_the_year_is_covered_with_a_tet_peak()
    check_rows_carry_their_facts_across_districts_groups_and_stars()
    check_reversals_mirror_their_sales()
    check_some_certified_producers_have_not_sold_on_a_modern_channel()
    check_targets_a_closed_quarter_and_the_programme_groups_permissions()


def history():
    return Sale.objects.filter(Q(source_key__startswith=KEY_PREFIX) | Q(reverses__source_key__startswith=KEY_PREFIX))


def check_every_channel_and_every_platform_has_rows():
    rows = history()
    assert set(rows.values_list("channel", flat=True)) == set(Sale.Channel.values)
    assert set(rows.filter(channel=Sale.Channel.EXTERNAL).values_list("platform", flat=True)) == set(Platform.values)
    assert set(rows.exclude(channel=Sale.Channel.EXTERNAL).values_list("platform", flat=True)) == {""}
    showrooms = set(rows.filter(channel=Sale.Channel.SHOWROOM).values_list("showroom__code", flat=True))
    assert showrooms == {row.code for row in SHOWROOMS}
    live = rows.filter(channel=Sale.Channel.LIVESTREAM)
    assert not live.filter(live_session__isnull=True).exists()
    assert live.values("live_session").distinct().count() >= 6, "sessions held across the year, each with sales"
    assert not rows.filter(order_line__isnull=False).exists() and rows.count() < 4000
    assert not rows.exclude(note__startswith=NOTE).exists(), "every sample row says it is sample data"


def check_the_year_is_covered_with_a_tet_peak():
    today = ocop_today()
    first, yesterday = add_months(today, -12), today - dt.timedelta(days=1)
    rows = history().filter(kind=Sale.Kind.SALE)
    days = list(rows.values_list("booked_on", flat=True))
    assert min(days) >= first and max(days) <= yesterday
    months = {(day.year, day.month) for day in days}
    assert len(months) >= 10
    by_month = {month: sum(1 for day in days if (day.year, day.month) == month) for month in months}
    tet = max(by_month.get((y, m), 0) for y, m in months if m in (1, 2))
    ordinary = sorted(by_month.values())[len(by_month) // 2]
    assert tet > 1.5 * ordinary, by_month
    for channel in Sale.Channel.values:
        assert rows.filter(channel=channel).values("booked_on__month").distinct().count() >= 6, channel


def check_rows_carry_their_facts_across_districts_groups_and_stars():
    rows = history()
    assert not rows.filter(Q(area__isnull=True) | Q(ocop_group__isnull=True) | Q(stars__isnull=True)).exists()
    assert not rows.filter(product__isnull=True).exists() and not rows.filter(producer__isnull=True).exists()
    areas = AdministrativeUnit.objects.filter(pk__in=rows.values("area"))
    assert len({area.former_district for area in areas if area.former_district}) >= 2
    demo_groups = set(
        Product.objects.certified().filter(upc__startswith=UPC_PREFIX)
        .values_list("ocop_product_set__group__number", flat=True)
    )
    assert demo_groups and demo_groups <= set(rows.values_list("ocop_group", flat=True))
    assert set(rows.values_list("stars", flat=True)) == {3, 4, 5}


def check_reversals_mirror_their_sales():
    reversals = history().filter(kind=Sale.Kind.REVERSAL).select_related("reverses")
    assert reversals.count() >= 10
    channels = set()
    for reversal in reversals:
        sale = reversal.reverses
        assert (reversal.amount, reversal.quantity) == (-sale.amount, -sale.quantity)
        assert reversal.occurred_at > sale.occurred_at and reversal.booked_on >= sale.booked_on
        channels.add(reversal.channel)
    assert len(channels) >= 3


def check_some_certified_producers_have_not_sold_on_a_modern_channel():
    certified = set(Product.objects.certified().filter(upc__startswith=UPC_PREFIX).values_list("producer", flat=True))
    modern = set(
        Sale.objects.filter(channel__in=[Sale.Channel.ONLINE, Sale.Channel.LIVESTREAM, Sale.Channel.EXTERNAL])
        .values_list("producer", flat=True)
    )
    not_yet = certified - modern
    assert 1 <= len(not_yet) <= 6 and len(certified & modern) >= 20


def check_targets_a_closed_quarter_and_the_programme_groups_permissions():
    today = ocop_today()
    this_year = PlanTarget.objects.get(year=today.year)
    assert (this_year.new_products_min, this_year.new_products_max, this_year.four_star_products,
            this_year.modern_channel_share) == (50, 60, 5, 100)
    assert PlanTarget.objects.filter(year=today.year - 1).exists()

    starts_on, ends_on = previous_quarter(today)
    assert ends_on < today and (ends_on - starts_on).days in range(88, 92) and starts_on.day == 1
    closed = ClosedPeriod.objects.get(starts_on=starts_on, ends_on=ends_on)
    assert closed.closed_by.email == PROGRAMME.email
    in_quarter = history().filter(occurred_at__date__gte=starts_on, occurred_at__date__lte=ends_on)
    assert in_quarter.exists()
    assert not in_quarter.exclude(booked_on__gte=starts_on, booked_on__lte=ends_on).exists(), (
        "written before the closure, the quarter's rows are booked in the quarter, not today"
    )

    group = Group.objects.get(name=PROGRAMME_GROUP)
    granted = set(group.permissions.filter(content_type__app_label="reports").values_list("codename", flat=True))
    assert set(LEDGER_PERMISSIONS) <= granted
    staff = group.user_set.get(email=PROGRAMME.email)
    assert staff.is_staff and staff.has_perm("reports.view_sale") and staff.has_perm("reports.add_sale")
