"""Writes for the site's page structure."""

from django.conf import settings
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage

HOME_TITLE = "Chợ OCOP An Giang"
HOME_INTRO = "<p>Đặc sản An Giang được chứng nhận OCOP từ 3 sao trở lên.</p>"


def home_sections_default() -> list[tuple[str, dict]]:
    """The home page's sections on a new site (editors rearrange them in Wagtail): a greeting, the newest
    certificates, the OCOP groups, livestreams, areas and their showrooms, the latest stories."""
    return [
        ("hero", {"heading": HOME_TITLE, "text": "Đặc sản An Giang được chứng nhận OCOP từ 3 sao trở lên: mua trực tuyến, "
                  "xem livestream, hay ghé điểm bán gần nhất.", "photo": {"image": None, "alt_text": ""},
                  "link_page": None, "link_label": ""}),
        ("newest_certified", {"heading": "Mới được chứng nhận", "count": 8}),
        ("ocop_groups", {"heading": "Nhóm sản phẩm OCOP"}),
        ("live_sessions", {"heading": "Livestream bán hàng", "count": 3}),
        ("showroom_areas", {"heading": "Điểm bán theo khu vực"}),
        ("latest_stories", {"heading": "Câu chuyện sản phẩm", "count": 3}),
    ]


@transaction.atomic
def site_structure_ensure() -> HomePage:
    """Locales for every language, Wagtail's page and collection roots, our home page (replacing Wagtail's welcome page) and
    the default Site. Idempotent; also repairs a database whose rows were flushed."""
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES}
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=locales[settings.LANGUAGE_CODE])
    home = HomePage.objects.filter(locale=locales[settings.LANGUAGE_CODE]).first()
    if home is None:
        for welcome in root.get_children().exact_type(Page).filter(slug="home"):
            welcome.delete()
        home = root.add_child(
            instance=HomePage(
                title=HOME_TITLE, slug="home", intro=HOME_INTRO, body=home_sections_default(),
                locale=locales[settings.LANGUAGE_CODE],
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=HOME_TITLE)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home
