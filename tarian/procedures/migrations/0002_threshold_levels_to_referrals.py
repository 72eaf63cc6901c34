"""The threshold guide's levels moved to the front door (issue 19): ``referrals`` now holds the
model on the same table (``referrals.0004``), so this only forgets it here and no data moves.

It does not wait for ``referrals``: procedures knows no workflow, and the table stays whichever
app's migrations have run."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0001_threshold_levels"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ThresholdLevel")],
            database_operations=[],
        ),
    ]
