"""Placeholder until a helper writes this module."""

from django.http import Http404
from django.views import View


class _Pending(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


SessionControlView = _Pending
