"""The listing's reading of a product's certificates (catalogue.listing.certified_columns), without a database:
which days a product is listed, with which stars, and when the answer changes without a write."""

import datetime as dt
from dataclasses import dataclass

from catalogue.listing import FEW_LEFT, PLENTY, certified_columns, shelf_signature, stock_band

TODAY = dt.date(2026, 11, 29)


@dataclass
class Cert:
    issued_on: dt.date
    expires_on: dt.date
    stars: int = 4
    revoked_on: dt.date | None = None
    pk: int = 1


def days(n):
    return dt.timedelta(days=n)


def test_one_valid_certificate_lists_the_product_until_its_last_day_with_its_stars():
    columns = certified_columns([Cert(TODAY - days(100), TODAY + days(30), stars=5)], today=TODAY)
    assert columns == {"certified_from": TODAY - days(100), "certified_until": TODAY + days(30), "listing_stars": 5,
                       "listing_recheck_on": None}


def test_expired_revoked_or_missing_certificates_list_nothing():
    for certificates in ([], [Cert(TODAY - days(1200), TODAY - days(1))],
                         [Cert(TODAY - days(10), TODAY + days(900), revoked_on=TODAY - days(1))]):
        assert certified_columns(certificates, today=TODAY)["certified_until"] is None


def test_a_certificate_issued_with_a_future_date_is_listed_from_that_day_only():
    columns = certified_columns([Cert(TODAY + days(10), TODAY + days(1000))], today=TODAY)
    assert columns["certified_from"] == TODAY + days(10)
    assert columns["listing_recheck_on"] is None  # nothing changes later without a write


def test_a_renewal_that_follows_on_extends_the_span_and_its_stars_take_over_on_its_first_day():
    old = Cert(TODAY - days(1000), TODAY + days(5), stars=3, pk=1)
    renewal = Cert(TODAY + days(6), TODAY + days(1100), stars=5, pk=2)
    columns = certified_columns([old, renewal], today=TODAY)
    assert (columns["certified_from"], columns["certified_until"]) == (old.issued_on, renewal.expires_on)
    assert columns["listing_stars"] == 3
    assert columns["listing_recheck_on"] == TODAY + days(6)
    on_the_day = certified_columns([old, renewal], today=TODAY + days(6))
    assert on_the_day["listing_stars"] == 5 and on_the_day["listing_recheck_on"] is None


def test_a_gap_between_two_certificates_ends_the_first_span_and_is_rechecked_when_the_second_begins():
    first = Cert(TODAY - days(1000), TODAY + days(5), pk=1)
    later = Cert(TODAY + days(20), TODAY + days(1100), pk=2)
    columns = certified_columns([first, later], today=TODAY)
    assert columns["certified_until"] == TODAY + days(5)
    assert columns["listing_recheck_on"] == TODAY + days(20)
    assert certified_columns([first, later], today=TODAY + days(20))["certified_from"] == TODAY + days(20)


def test_of_two_overlapping_certificates_the_one_issued_last_gives_the_stars():
    older = Cert(TODAY - days(500), TODAY + days(600), stars=5, pk=1)
    newer = Cert(TODAY - days(20), TODAY + days(1000), stars=3, pk=2)
    columns = certified_columns([older, newer], today=TODAY)
    assert columns["listing_stars"] == 3
    assert columns["listing_recheck_on"] == TODAY + days(601)  # the older one ends inside the span


def test_stock_band_is_exact_up_to_few_left_and_plenty_above():
    assert stock_band(num_in_stock=5, num_allocated=5) == 0
    assert stock_band(num_in_stock=5, num_allocated=2) == 3
    assert stock_band(num_in_stock=FEW_LEFT + 40, num_allocated=0) == PLENTY
    assert stock_band(num_in_stock=None, num_allocated=None) == PLENTY  # stock not tracked: sold as available
    assert stock_band(num_in_stock=None, num_allocated=None, has_record=False) == 0


def test_shelf_signature_follows_the_levels_shoppers_see_not_the_order_they_came_in():
    assert shelf_signature([(1, "in_stock"), (2, "few_left")]) == shelf_signature([(2, "few_left"), (1, "in_stock")])
    assert shelf_signature([(1, "in_stock")]) != shelf_signature([(1, "few_left")])
    assert shelf_signature([]) == ""
