import oscar.apps.search.apps as apps
from django.urls import path


class SearchConfig(apps.SearchConfig):
    name = 'shop.search'

    def get_urls(self):
        from .suggest import suggest

        # "suggest/" before Oscar's "" (the results page): /shop/search/suggest/, named search:suggest
        return self.post_process_urls([path("suggest/", suggest, name="suggest")]) + super().get_urls()
