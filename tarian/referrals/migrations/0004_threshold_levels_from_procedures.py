"""The partnership's threshold guide is front-door state (issue 19): the model moves here from
``procedures`` on its existing table, ``procedures_thresholdlevel``, so no data moves. The
table was made by ``procedures.0001``; this only records the model in ``referrals``."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0001_threshold_levels"),
        ("referrals", "0003_referral_feedback_sent_to"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ThresholdLevel",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("pack", models.CharField(max_length=32)),
                        ("code", models.CharField(max_length=32)),
                        ("position", models.PositiveSmallIntegerField()),
                        ("title_en", models.CharField(max_length=200)),
                        ("title_cy", models.CharField(max_length=200)),
                        ("description_en", models.TextField(blank=True)),
                        ("description_cy", models.TextField(blank=True)),
                        ("is_active", models.BooleanField(default=True)),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("modified_at", models.DateTimeField()),
                        (
                            "modified_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "procedures_thresholdlevel",
                        "ordering": ["pack", "position", "code"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("pack", "code"), name="threshold_level_unique_code"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("code", ""), _negated=True),
                                    models.Q(("title_en", ""), _negated=True),
                                    models.Q(("title_cy", ""), _negated=True),
                                ),
                                name="threshold_level_code_and_titles",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
