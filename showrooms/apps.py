from django.apps import AppConfig
from django.db.models.signals import post_save


def _showroom_pages_reindex(sender, instance, **kwargs):
    """A showroom page's searchable words come from its Showroom: a renamed or moved showroom is found by its new
    words at once (Wagtail's page index), not after the page is next saved."""
    from wagtail.search import index

    from .pages import ShowroomPage

    for page in ShowroomPage.objects.filter(showroom=instance).live():
        index.insert_or_update_object(page)


class ShowroomsConfig(AppConfig):
    name = "showrooms"

    def ready(self):
        post_save.connect(_showroom_pages_reindex, sender="showrooms.Showroom", dispatch_uid="showroom-pages-reindex")
