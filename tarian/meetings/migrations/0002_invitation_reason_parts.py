"""An invitation's reason kept as parts, read in each reader's language (SM1, VC2).

Existing rows get no parts and keep showing their text (in the convener's language); the
reverse drops the parts and leaves the text as it was."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0001_meetings"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="reason_parts",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
