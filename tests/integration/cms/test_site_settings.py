"""The footer's pages: the reader's language where translated, live and public only, in a constant number of
queries whatever the number of links."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import PageViewRestriction, Site

from cms.models import SiteSettings
from tests.support.cms import make_standard_page, translate

pytestmark = pytest.mark.django_db


def _settings_with(pages) -> SiteSettings:
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.footer_links = [("page", page) for page in pages]
    settings.save()
    return SiteSettings.objects.get(pk=settings.pk)


def _queries(settings) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        pages = settings.footer_pages()
    return len(queries), pages


def test_footer_pages_in_english_where_translated_and_never_a_private_one():
    about = make_standard_page(title="Về chương trình", slug="ve-chuong-trinh")
    terms = make_standard_page(title="Điều khoản", slug="dieu-khoan")
    private = make_standard_page(title="Nội bộ", slug="noi-bo")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    about_en = translate(about, title="About the programme", slug="about")
    settings = _settings_with([about, terms, private])

    with translation.override("en"):
        assert [page.pk for page in settings.footer_pages()] == [about_en.pk, terms.pk]
    with translation.override("vi"):
        assert [page.pk for page in settings.footer_pages()] == [about.pk, terms.pk]


@pytest.mark.usefixtures("uncached")
def test_footer_pages_cost_the_same_queries_for_2_or_6_links():
    pages = [make_standard_page(title=f"Trang {n}", slug=f"trang-{n}") for n in range(6)]
    for page in pages[:3]:
        translate(page, title=f"Page {page.pk}", slug=f"page-{page.pk}")
    counts = []
    with translation.override("en"):
        for size in (2, 6):
            count, shown = _queries(_settings_with(pages[:size]))
            assert len(shown) == size
            counts.append(count)
    assert counts[0] == counts[1], counts
