"""/shop/programme/reports/: the dashboard and periodic reports (views/dashboard.py), external sales entry and
import, period closing (views/entry.py). Programme staff only (reports/access.py)."""

from .views import dashboard, entry

app_name = "reports"
urlpatterns = [*dashboard.urlpatterns, *entry.urlpatterns]
