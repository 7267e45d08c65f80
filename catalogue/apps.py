from oscar.apps.catalogue import apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalogue"

    def ready(self):
        super().ready()
        from .search.indexing import connect_signals

        connect_signals()
