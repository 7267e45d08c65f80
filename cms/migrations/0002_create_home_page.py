from django.db import migrations


def create_home_page(apps, schema_editor):
    """Replace Wagtail's welcome page with our home page, in the default locale (pitfall P6)."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    Page.objects.filter(depth=2, slug="home").delete()
    locale = Locale.objects.get(language_code="vi")
    Locale.objects.get_or_create(language_code="en")
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    home = HomePage.objects.create(
        title="Chợ OCOP An Giang",
        draft_title="Chợ OCOP An Giang",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        intro="<p>Đặc sản An Giang được chứng nhận OCOP từ 3 sao trở lên.</p>",
    )
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "port": 80})


def remove_home_page(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_home_page"),
        ("wagtailcore", "0054_initial_locale"),
    ]
    operations = [migrations.RunPython(create_home_page, remove_home_page)]
