"""API tokens belong to agencies (#19): ``agencies`` migration 0010 takes the model over.

The table ``api_apitoken`` and its rows stay; only the model leaves this app's state.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("agencies", "0010_api_token"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiToken")],
            database_operations=[],
        ),
    ]
