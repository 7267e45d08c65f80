"""Story editing in the Wagtail admin over real requests: alt text is enforced on the create form (an image block
without it, a hero image without it: refused with a message, nothing saved), and people who are not programme staff
(a shopper, a producer) get no story editing and cannot publish."""

import json
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from django.utils.translation import gettext
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import StoryPage
from shop.listings.services import PRODUCER_GROUP
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.cms import make_image, make_story, story_index

pytestmark = pytest.mark.django_db

ALT_MESSAGE = "Ảnh cần có mô tả (alt) cho người không xem được ảnh."


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(email="quantri@example.vn", password="pw-1234567")


def add_url(index) -> str:
    return f"/cms-admin/pages/add/cms/storypage/{index.pk}/"


def story_form(*, product, body, hero_image=None, hero_image_alt="", slug="mam-ca-linh", publish=True) -> dict:
    data = nested_form_data({
        "title": "Mắm cá linh mùa nước nổi",
        "slug": slug,
        "summary": "Cá linh về theo con nước, được ủ mắm theo cách của bà.",
        "producer": str(product.producer_id),
        "hero_image": str(hero_image.pk) if hero_image else "",
        "hero_image_alt": hero_image_alt,
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "body": streamfield(body),
        "story_products": inline_formset([{"product": str(product.pk), "id": ""}], min=1),
    })
    if publish:
        data["action-publish"] = "action-publish"
    return data


def paragraph(html="<p>Mùa nước nổi, cá linh theo dòng Mê Kông về An Giang.</p>"):
    return ("paragraph", rich_text(html))


def image_block(image, alt_text):
    return ("image", {"image": str(image.pk), "alt_text": alt_text, "caption": ""})


def text(response) -> str:
    return response.content.decode()


def refused_with_message(response) -> bool:
    """The form came back with Wagtail's "could not be created" message (in the admin's language)."""
    html = unescape(text(response))
    messages = html[html.index('class="messages"'):][:2000]
    expected = {"The page could not be created due to validation errors."}
    for language in ("vi", "en"):
        with translation.override(language):
            expected.add(gettext("The page could not be created due to validation errors."))
    return response.status_code == 200 and any(message in messages for message in expected)


def block_errors(response) -> str:
    """The stream field's errors, as the admin sends them to its editor (JSON inside an attribute)."""
    return unescape(text(response))


def json_text(message: str) -> str:
    return json.dumps(message)[1:-1]


def test_the_create_form_refuses_an_image_block_without_alt_text_and_saves_nothing(client, superuser):
    client.force_login(superuser)
    index, product, image = story_index(), make_certified_product(), make_image()

    response = client.post(add_url(index), story_form(product=product, body=[paragraph(), image_block(image, "")]))

    assert refused_with_message(response)
    assert '"blockErrors": {"alt_text": {"messages": [' in block_errors(response), "the alt text field is marked"
    assert StoryPage.objects.count() == 0
    assert index.get_children().count() == 0

    whitespace = client.post(add_url(index), story_form(product=product, body=[image_block(image, "   ")]))
    assert refused_with_message(whitespace) and StoryPage.objects.count() == 0

    accepted = client.post(add_url(index), story_form(product=product,
                                                      body=[paragraph(), image_block(image, "Cá linh phơi nắng")]))
    assert accepted.status_code == 302, text(accepted)[:3000]
    story = StoryPage.objects.get()
    assert story.live and story.body[1].value["alt_text"] == "Cá linh phơi nắng"
    assert list(story.story_products.values_list("product_id", flat=True)) == [product.pk]


def test_the_create_form_refuses_a_hero_image_without_alt_text_with_its_message(client, superuser):
    client.force_login(superuser)
    index, product, image = story_index(), make_certified_product(), make_image()

    response = client.post(add_url(index), story_form(product=product, body=[paragraph()], hero_image=image))

    assert refused_with_message(response)
    assert ALT_MESSAGE in text(response)
    assert StoryPage.objects.count() == 0
    accepted = client.post(add_url(index), story_form(product=product, body=[paragraph()], hero_image=image,
                                                      hero_image_alt="Bà Sáu bên chum mắm"))
    assert accepted.status_code == 302 and StoryPage.objects.get().hero_image_alt == "Bà Sáu bên chum mắm"


def test_the_create_form_refuses_a_timeline_photo_without_alt_text(client, superuser):
    client.force_login(superuser)
    index, product, image = story_index(), make_certified_product(), make_image()

    def timeline(alt_text):
        return ("timeline", {
            "heading": "Làm mắm",
            "steps": {  # a ListBlock's form data: count, then each item's value, order and deleted flag
                "count": "2",
                "0-deleted": "", "0-order": "0", "0-id": "", "0-value-title": "Đánh bắt", "0-value-text": "",
                "0-value-photo-image": str(image.pk), "0-value-photo-alt_text": alt_text,
                "1-deleted": "", "1-order": "1", "1-id": "", "1-value-title": "Ủ mắm", "1-value-text": "",
                "1-value-photo-image": "", "1-value-photo-alt_text": "",
            },
        })

    response = client.post(add_url(index), story_form(product=product, body=[paragraph(), timeline("")]))

    assert refused_with_message(response)
    assert json_text(ALT_MESSAGE) in block_errors(response)
    assert StoryPage.objects.count() == 0
    accepted = client.post(add_url(index), story_form(product=product, body=[paragraph(), timeline("Lưới cá linh")]))
    assert accepted.status_code == 302, "a step without a photo needs no alt text"
    assert StoryPage.objects.get().body[1].value["steps"][0]["photo"]["alt_text"] == "Lưới cá linh"


# ---------------------------------------------------------------- who may edit stories
@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user(email="khach@example.vn", password="pw-1234567")


@pytest.fixture
def producer_user(django_user_model):
    """A producer's user as the producer area makes them: the producer group, Oscar's dashboard permission."""
    user = django_user_model.objects.create_user(email="htx@example.vn", password="pw-1234567")
    make_producer().users.add(user)
    user.groups.add(Group.objects.get_or_create(name=PRODUCER_GROUP)[0])
    user.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    return user


def refused(response) -> bool:
    if response.status_code == 403:
        return True
    return response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("who", ["shopper", "producer_user"])
def test_a_shopper_or_a_producer_gets_no_story_editing_and_cannot_publish(client, request, who):
    user = request.getfixturevalue(who)
    assert not user.is_staff
    index, product, image = story_index(), make_certified_product(), make_image()
    draft = make_story(title="Bản nháp chờ duyệt", slug="ban-nhap", products=[product], live=False)
    client.force_login(user)

    for url in ("/cms-admin/", "/cms-admin/pages/", f"/cms-admin/pages/{index.pk}/", add_url(index),
                f"/cms-admin/pages/{draft.pk}/edit/"):
        assert refused(client.get(url)), url

    created = client.post(add_url(index), story_form(product=product, body=[image_block(image, "Cá linh")],
                                                     slug="cua-khach"))
    published = client.post(f"/cms-admin/pages/{draft.pk}/edit/",
                            story_form(product=product, body=[paragraph()], slug="ban-nhap"))
    publish_view = client.post(f"/cms-admin/pages/{draft.pk}/publish/")

    assert refused(created) and refused(published) and (refused(publish_view) or publish_view.status_code == 404)
    assert list(StoryPage.objects.values_list("title", "live")) == [("Bản nháp chờ duyệt", False)]
    assert client.get("/cau-chuyen/ban-nhap/").status_code == 404
