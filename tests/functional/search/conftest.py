"""Shared builders for the search box and results page: a Châu Đốc showroom page under the site's home page."""

import pytest

from cms.services import site_structure_ensure
from showrooms.pages import AreaIndexPage, ShowroomIndexPage, ShowroomPage
from tests.support.showrooms import make_showroom


@pytest.fixture
def chau_doc_page(db):
    """The showroom page "Điểm OCOP Châu Đốc", published: Wagtail indexes it on save (no update_index needed)."""
    home = site_structure_ensure()
    index = home.add_child(instance=ShowroomIndexPage(title="Điểm bán OCOP", slug="diem-ban-ocop"))
    area = index.add_child(
        instance=AreaIndexPage(title="Châu Đốc", slug="chau-doc", former_district="Thành phố Châu Đốc")
    )
    showroom = make_showroom(name="Điểm OCOP Châu Đốc", code="chau-doc", street_address="12 Lê Lợi")
    return area.add_child(
        instance=ShowroomPage(
            title="Điểm OCOP Châu Đốc", slug="diem-ocop-chau-doc", showroom=showroom,
            search_description="Điểm OCOP Châu Đốc: 12 Lê Lợi, cạnh chợ.",
        )
    )
