"""What the agreed actions' endpoints read and answer (API contract conventions)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tarian.actions.models import ActionStatus
from tarian.api.fields import Choice


class ActionSubjectSerializer(serializers.Serializer[Any]):
    # Open: each workflow registers its own kinds (tarian.actions.subjects).
    kind = serializers.CharField(source="subject_kind", read_only=True,
                                 help_text="What kind of thing the action was agreed in, as "
                                 "its workflow names it, e.g. strategy_meeting")
    id = serializers.CharField(source="subject_id", read_only=True)


class AgreedActionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    subject = ActionSubjectSerializer(source="*", read_only=True)
    description = serializers.CharField(read_only=True)
    owner_agency = serializers.CharField(source="owner_agency.slug", read_only=True,
                                         help_text="The owning agency's slug")
    owner = serializers.CharField(source="owner.username", read_only=True, allow_null=True,
                                  help_text="The named owner's username; null: anyone at "
                                  "the owning agency")
    due_date = serializers.DateField(read_only=True)
    status = Choice(ActionStatus.choices, read_only=True, enum_name="AgreedActionStatusEnum")
    outcome = serializers.CharField(read_only=True, help_text="What was done, in words (free "
                                    "text; empty while the action is open)")
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)


class CompleteInputSerializer(serializers.Serializer[Any]):
    # Blank is left to the service, which refuses it naming ``outcome`` in the same words as
    # the page does.
    outcome = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                    help_text="What was done, or why it was not")
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text="The version read; a stale one is 409")
