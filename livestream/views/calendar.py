"""Calendar feeds: /live/<slug>.ics for one session (served in every status, so a calendar that holds a cancelled
session learns it) and /live/schedule.ics for the upcoming ones. Built in livestream/calendar.py."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from ..calendar import schedule_calendar, session_calendar
from ..models import LiveSession

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _ics_response(calendar, *, filename: str, max_age: int) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


class SessionFeedView(View):
    def get(self, request, slug):
        session = get_object_or_404(LiveSession, slug=slug)
        return _ics_response(session_calendar(session), filename=f"{session.slug}.ics", max_age=300)


class ScheduleFeedView(View):
    def get(self, request):
        return _ics_response(schedule_calendar(), filename="lich-livestream-ocop.ics", max_age=900)
