"""Drafts are kept by form and subject instead of one key (issue 18: referral drafts crossed
between children). ``person-edit:T…`` becomes form ``person-edit``, subject ``T…``; the one
``referral-new`` draft a user could have becomes a referral begun without a child."""

from typing import Any

from django.db import migrations, models

# The key the one referral draft had before drafts had subjects.
OLD_REFERRAL_KEY = "referral-new"


def split_keys(apps: Any, schema_editor: Any) -> None:
    Draft = apps.get_model("drafts", "Draft")
    for draft in Draft.objects.all():
        if draft.key == OLD_REFERRAL_KEY:
            draft.form, draft.subject = "referral", ""
        else:
            form, _, subject = draft.key.partition(":")
            draft.form, draft.subject = form, subject
        draft.save(update_fields=["form", "subject"])


def join_keys(apps: Any, schema_editor: Any) -> None:
    Draft = apps.get_model("drafts", "Draft")
    has_referral: set[int] = set()
    for draft in Draft.objects.order_by("-saved_at", "-pk"):
        if draft.form == "referral":
            # Before, a user had one referral draft: keep their latest.
            if draft.user_id in has_referral:
                draft.delete()
                continue
            has_referral.add(draft.user_id)
            draft.key = OLD_REFERRAL_KEY
        else:
            draft.key = f"{draft.form}:{draft.subject}" if draft.subject else draft.form
        draft.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("drafts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="form",
            field=models.CharField(default="", max_length=50),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="draft",
            name="subject",
            field=models.CharField(blank=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RemoveConstraint(model_name="draft", name="draft_unique_key"),
        migrations.RunPython(split_keys, join_keys),
        # A default, so that undoing this migration can add the column back to existing rows.
        migrations.AlterField(
            model_name="draft", name="key", field=models.CharField(default="", max_length=200)
        ),
        migrations.RemoveField(model_name="draft", name="key"),
        migrations.AddConstraint(
            model_name="draft",
            constraint=models.UniqueConstraint(
                fields=("user", "form", "subject"), name="draft_unique_form_subject"
            ),
        ),
    ]
