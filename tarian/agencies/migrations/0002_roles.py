"""Create one Role row for each role code (the API contract's list of roles)."""

from django.db import migrations

ROLE_CODES = [
    "referrer",
    "dsl",
    "gateway_worker",
    "social_worker",
    "team_manager",
    "cru_officer",
    "cru_supervisor",
    "health_practitioner",
    "conference_chair",
    "allegations_manager",
    "board_member",
    "auditor",
    "system_admin",
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("agencies", "Role")
    for code in ROLE_CODES:
        Role.objects.get_or_create(code=code)


def remove_roles(apps, schema_editor):
    apps.get_model("agencies", "Role").objects.filter(code__in=ROLE_CODES).delete()


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]
    operations = [migrations.RunPython(create_roles, remove_roles)]
