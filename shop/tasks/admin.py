"""What the scheduler did last (Django's admin, read-only): each periodic job's last run, its outcome and the next."""

from django.contrib import admin

from shop.readonly_admin import ReadOnlyAdmin

from .models import ScheduledJob


@admin.register(ScheduledJob)
class ScheduledJobAdmin(ReadOnlyAdmin):
    list_display = ("name", "last_succeeded", "last_started_at", "last_finished_at", "next_run_at", "last_output")
    readonly_fields = list_display
