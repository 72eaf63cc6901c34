"""A sharing rule's kind of record is checked when the rules are loaded, not by ``choices``
(#19), so that a new kind of record needs no migration. No change to the database."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0010_api_token"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sharingrule",
            name="record_kind",
            field=models.CharField(max_length=32),
        ),
    ]
