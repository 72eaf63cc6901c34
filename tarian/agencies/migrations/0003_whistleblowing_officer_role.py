"""Add the whistle-blowing officer role (PC2; two-factor authentication is required for it)."""

from django.db import migrations, models


def create_role(apps, schema_editor):
    apps.get_model("agencies", "Role").objects.get_or_create(code="whistleblowing_officer")


def remove_role(apps, schema_editor):
    apps.get_model("agencies", "Role").objects.filter(code="whistleblowing_officer").delete()


ROLE_CHOICES = [
    ("referrer", "Referrer"), ("dsl", "Designated safeguarding lead"),
    ("gateway_worker", "Gateway worker"), ("social_worker", "Social worker"),
    ("team_manager", "Team manager"), ("cru_officer", "Central referral unit officer"),
    ("cru_supervisor", "Central referral unit supervisor"),
    ("health_practitioner", "Health practitioner"), ("conference_chair", "Conference chair"),
    ("allegations_manager", "Allegations manager"), ("board_member", "Board member"),
    ("auditor", "Auditor"), ("whistleblowing_officer", "Whistle-blowing officer"),
    ("system_admin", "System administrator"),
]


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_roles")]
    operations = [
        migrations.AlterField(
            model_name="role", name="code",
            field=models.CharField(choices=ROLE_CHOICES, max_length=32, unique=True),
        ),
        migrations.AlterField(
            model_name="sharingrule", name="role",
            field=models.CharField(choices=ROLE_CHOICES, max_length=32),
        ),
        migrations.RunPython(create_role, remove_role),
    ]
