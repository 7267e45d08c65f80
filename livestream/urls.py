"""/live/: the schedule, session pages, calendar feeds, reminders, complaints; the control page and report for
staff and hosts. Fixed words (schedule, rules, reminders) come before the session slugs, which may not take them."""

from django.urls import path

from .views import calendar, control, public, reminders, report

app_name = "livestream"
urlpatterns = [
    path("", public.SessionIndexView.as_view(), name="index"),
    path("schedule.ics", calendar.ScheduleFeedView.as_view(), name="schedule-ics"),
    path("rules/", public.RulesView.as_view(), name="rules"),
    path("reminders/<str:token>/confirm/", reminders.ReminderConfirmView.as_view(), name="reminder-confirm"),
    path("reminders/<str:token>/unsubscribe/", reminders.ReminderUnsubscribeView.as_view(), name="reminder-unsubscribe"),
    path("<slug:slug>.ics", calendar.SessionFeedView.as_view(), name="ics"),
    path("<slug:slug>/", public.SessionDetailView.as_view(), name="detail"),
    path("<slug:slug>/add/", public.SessionBasketAddView.as_view(), name="add"),
    path("<slug:slug>/complaint/", public.ComplaintView.as_view(), name="complaint"),
    path("<slug:slug>/remind/", reminders.ReminderCreateView.as_view(), name="remind"),
    path("<slug:slug>/control/", control.SessionControlView.as_view(), name="control"),
    path("<slug:slug>/report/", report.SessionReportView.as_view(), name="report"),
    path("<slug:slug>/report.csv", report.SessionReportCsvView.as_view(), name="report-csv"),
]
