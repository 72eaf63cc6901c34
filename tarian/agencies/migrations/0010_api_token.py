"""API tokens belong to agencies (#19): the model moves here from the ``api`` app.

Only Django's idea of where the model lives changes: the table ``api_apitoken`` and its rows
stay as they are (``api`` migration 0002 removes the model from that app's state). The
content type moves with it, so that nothing is left pointing at ``api.apitoken``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, source, target):
    content_type = apps.get_model("contenttypes", "ContentType")
    if content_type.objects.filter(app_label=target, model="apitoken").exists():
        return
    content_type.objects.filter(app_label=source, model="apitoken").update(app_label=target)


def to_agencies(apps, schema_editor):
    _move_content_type(apps, "api", "agencies")


def to_api(apps, schema_editor):
    _move_content_type(apps, "agencies", "api")


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0009_enrolment_links"),
        ("api", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
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
                        ("name", models.CharField(blank=True, max_length=100)),
                        ("prefix", models.CharField(db_index=True, max_length=12)),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField()),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "api_apitoken", "ordering": ["-created_at"]},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_agencies, to_api),
    ]
