"""Pages made without a slug get one a Vietnamese reader can type: accents and đ folded, never percent-encoded."""

import pytest

from tests.support.cms import make_story, story_index

pytestmark = pytest.mark.django_db


def test_a_story_without_a_slug_gets_a_folded_one_and_siblings_get_a_suffix():
    first = make_story(title="Đường thốt nốt Tri Tôn")
    second = make_story(title="Đường thốt nốt Tri Tôn", index=story_index())

    assert first.slug == "duong-thot-not-tri-ton"
    assert second.slug == "duong-thot-not-tri-ton-2"
    assert first.url.endswith("/cau-chuyen/duong-thot-not-tri-ton/")
