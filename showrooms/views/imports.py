"""Placeholder until the CSV import lands (helper replaces this module)."""

from django.http import Http404
from django.views import View


class _Pending(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


StockImportView = StockExportView = _Pending
