"""The certification rule at each boundary, on the Python side (no database)."""

import datetime as dt

import pytest

from catalogue.certification import add_months, certificate_is_valid, default_expiry
from catalogue.models import Certificate

ISSUED = dt.date(2024, 1, 15)


def cert(**fields):
    fields = {"stars": 4, "issued_on": ISSUED, "expires_on": default_expiry(ISSUED), "revoked_on": None, **fields}
    return Certificate(**fields)


def test_expiry_is_the_last_day_of_36_months():
    assert default_expiry(ISSUED) == dt.date(2027, 1, 14)
    assert default_expiry(dt.date(2024, 2, 29)) == dt.date(2027, 2, 27)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (ISSUED - dt.timedelta(days=1), False),  # the day before the decision
        (ISSUED, True),  # today = issue date
        (dt.date(2027, 1, 14), True),  # today = expiry date (last valid day)
        (dt.date(2027, 1, 15), False),  # the day after
    ],
)
def test_validity_boundaries(day, valid):
    assert certificate_is_valid(cert(), on=day) is valid


def test_revoked_is_never_valid():
    assert certificate_is_valid(cert(revoked_on=dt.date(2026, 1, 1)), on=dt.date(2025, 6, 1)) is False


def test_below_three_stars_is_never_valid():
    assert certificate_is_valid(cert(stars=2), on=dt.date(2025, 6, 1)) is False
