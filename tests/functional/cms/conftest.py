"""Fixtures for the CMS pages over HTTP."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import translation

from catalogue.certification import ocop_today
from tests.support.catalogue import certify, make_product


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Vietnamese and leaves Vietnamese behind: a request to an /en/ page activates English for
    the rest of the thread, and reverse() (a product's or a producer's URL) would then give /en/ addresses."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
