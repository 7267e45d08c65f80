"""Fixtures for the CMS pages over HTTP."""

import datetime as dt

import pytest

from catalogue.certification import ocop_today
from tests.support.catalogue import certify, make_product


@pytest.fixture
def uncertified_products():
    """A product never certified, one whose certificate expired, one whose certificate was revoked."""
    today = ocop_today()
    never = make_product(title="Bánh bò chưa chứng nhận")
    expired = make_product(title="Khô cá lóc hết hạn")
    certify(expired, issued_on=today - dt.timedelta(days=1200), expires_on=today - dt.timedelta(days=1))
    revoked = make_product(title="Rượu nếp bị thu hồi")
    certify(revoked, revoked=True)
    return {"never": never, "expired": expired, "revoked": revoked}
