"""Writes for the site's page structure."""

from django.conf import settings
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage

HOME_TITLE = "Chợ OCOP An Giang"
HOME_INTRO = "<p>Đặc sản An Giang được chứng nhận OCOP từ 3 sao trở lên.</p>"


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
            instance=HomePage(title=HOME_TITLE, slug="home", intro=HOME_INTRO, locale=locales[settings.LANGUAGE_CODE])
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=HOME_TITLE)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home
