from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_ledger_facts_backfill")]

    operations = [
        migrations.AlterField(
            model_name="sale",
            name="booked_on",
            field=models.DateField(
                db_index=True,
                help_text="The day reports count the row on: when the money was taken, or the recording day if that "
                "day's period was closed (reports/services.booking_date).",
                verbose_name="ngày ghi sổ",
            ),
        ),
        migrations.AddIndex(model_name="sale", index=models.Index(fields=["booked_on", "channel"], name="reports_sal_booked__905326_idx")),
        migrations.AddConstraint(
            model_name="sale",
            constraint=models.CheckConstraint(
                condition=(Q(channel="external") & ~Q(platform="")) | (~Q(channel="external") & Q(platform="")),
                name="platform_only_and_always_for_external_sales",
            ),
        ),
    ]
