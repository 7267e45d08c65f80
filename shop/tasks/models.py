"""What background work remembers: which once-only pieces of work are done (an email for an event) and when each
periodic job runs next."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskKey(models.Model):
    """A piece of work that must happen once (shop/tasks/queue.py): claimed by one run before the work, marked done
    right after it. A run that fails gives its claim back; a claim left by a run that died is taken over once it is
    older than ``OCOP_TASKS_STALLED_MINUTES``."""

    key = models.CharField(_("khoá"), max_length=200, unique=True)
    token = models.CharField(_("lượt chạy giữ khoá"), max_length=32)
    claimed_at = models.DateTimeField(_("nhận lúc"))
    done_at = models.DateTimeField(_("xong lúc"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("khoá việc chạy một lần")
        verbose_name_plural = _("khoá việc chạy một lần")

    def __str__(self):
        return self.key


class ScheduledJob(models.Model):
    """One periodic job of the scheduler (shop/tasks/schedule.py). Claiming a run moves ``next_run_at`` on with a
    conditional UPDATE, so of several schedulers only one runs each slot."""

    name = models.CharField(_("tên"), max_length=64, unique=True)
    next_run_at = models.DateTimeField(_("lần chạy tới"))
    last_started_at = models.DateTimeField(_("bắt đầu lần trước"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("kết thúc lần trước"), null=True, blank=True)
    last_succeeded = models.BooleanField(_("lần trước thành công"), null=True)
    last_output = models.CharField(_("kết quả lần trước"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("việc định kỳ")
        verbose_name_plural = _("việc định kỳ")
        ordering = ["name"]

    def __str__(self):
        return self.name
