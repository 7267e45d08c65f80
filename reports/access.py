"""Who reaches the programme office's reports: staff holding the ledger's view permission (programme staff).
Producers read their own sales summary in the producer area (shop/listings), never these screens."""

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required

programme_reports = [staff_member_required, permission_required("reports.view_sale", raise_exception=True)]
# entering and importing external sales, closing a period, editing the plan's targets
programme_ledger = [staff_member_required, permission_required("reports.add_sale", raise_exception=True)]
