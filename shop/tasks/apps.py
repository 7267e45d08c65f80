from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "shop.tasks"
    label = "ocop_tasks"
    verbose_name = _("Việc chạy nền")
    default_auto_field = "django.db.models.BigAutoField"
