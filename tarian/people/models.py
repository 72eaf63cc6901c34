"""The shared record (IS2, IS3, VC2, SM1 groundwork).

A ``Person`` is a child, an unborn baby or an adult. Names they have been known by, addresses
over time, households, relationships and the agencies involved with them hang off it. Changes
go through ``tarian.people.services`` so that each one is versioned and audited.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tarian.agencies.models import Agency, Team
from tarian.core.models import Recorded


class PersonKind(models.TextChoices):
    CHILD = "child", _("Child")
    UNBORN = "unborn", _("Unborn baby")
    ADULT = "adult", _("Adult")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INDETERMINATE = "indeterminate", _("Indeterminate")
    UNKNOWN = "unknown", _("Not known")


class WelshActiveOffer(models.TextChoices):
    """VC2: whether a service in Welsh was offered without the person having to ask."""

    NOT_OFFERED = "not_offered", _("Not yet offered")
    ACCEPTED = "accepted", _("Offered and accepted")
    DECLINED = "declined", _("Offered and declined")


class Person(Recorded):
    ref = models.CharField(_("Tarian ID"), max_length=16, unique=True)
    kind = models.CharField(max_length=16, choices=PersonKind.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    other_names = models.JSONField(default=list, blank=True)
    known_as = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=40, blank=True)
    first_language = models.CharField(max_length=16, blank=True)
    welsh_active_offer = models.CharField(
        max_length=16, choices=WelshActiveOffer.choices, default=WelshActiveOffer.NOT_OFFERED
    )
    interpreter_needed = models.BooleanField(default=False)
    # A restricted record (e.g. a staff member's own family, a high-profile case) is visible only
    # to named people, or through break-glass access that demands a reason and alerts managers.
    is_restricted = models.BooleanField(default=False)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    upn = models.CharField(max_length=13, blank=True, db_index=True)
    created_by_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Folded copies (lower case, no accents or apostrophes) for search.
    given_name_folded = models.CharField(max_length=100, blank=True, editable=False)
    family_name_folded = models.CharField(max_length=100, blank=True, editable=False)
    # Set when this record was found to duplicate another and merged into it (IS3): it is kept,
    # hidden from searches and lists, and its address leads to the record it was merged into.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["family_name_folded", "given_name_folded"], name="person_name"),
            models.Index(fields=["given_name_folded"], name="person_given"),
            models.Index(fields=["date_of_birth"], name="person_dob"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="unborn") | Q(expected_date__isnull=False),
                name="person_unborn_has_expected_date",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or str(_("Unnamed person"))

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.given_name, self.family_name] if p)

    def age_on(self, on: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class NameKind(models.TextChoices):
    ALIAS = "alias", _("Alias")
    PREVIOUS = "previous", _("Previous name")
    BIRTH = "birth", _("Name at birth")
    NICKNAME = "nickname", _("Nickname")


class PersonName(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(max_length=16, choices=NameKind.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    used_until = models.DateField(null=True, blank=True)
    given_name_folded = models.CharField(max_length=100, blank=True, editable=False)
    family_name_folded = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["person", "kind", "id"]
        indexes = [
            models.Index(fields=["family_name_folded", "given_name_folded"], name="alias_name"),
            # "Find a person" by a given name alone looks up previous names too (issue 20).
            models.Index(fields=["given_name_folded"], name="alias_given"),
        ]

    def __str__(self) -> str:
        return " ".join(p for p in [self.given_name, self.family_name] if p)


class Address(models.Model):
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    uprn = models.CharField(_("UPRN"), max_length=12, blank=True)

    class Meta:
        ordering = ["postcode", "line1"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(p for p in [self.line1, self.line2, self.town, self.postcode] if p)


class Residence(models.Model):
    """A person lived at an address from one date to another (address history)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences")
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="residences")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-start_date"]
        indexes = [models.Index(fields=["address", "end_date"], name="residence_address")]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.address_id}"


class Household(models.Model):
    address = models.ForeignKey(
        Address, null=True, blank=True, on_delete=models.PROTECT, related_name="households"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Household {self.pk}"


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["household", "start_date"]
        indexes = [models.Index(fields=["person", "end_date"], name="member_person")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.household_id}"


class RelationshipKind(models.TextChoices):
    """How ``person`` is related to ``relative``: "person is the PARENT of relative"."""

    PARENT = "parent", _("Parent")
    STEP_PARENT = "step_parent", _("Step-parent")
    CARER = "carer", _("Carer")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    HALF_SIBLING = "half_sibling", _("Half-sibling")
    PARTNER = "partner", _("Partner")
    HOUSEHOLD_MEMBER = "household_member", _("Household member")
    OTHER_RELATIVE = "other_relative", _("Other relative")


# The same relationship read from the other side: a parent's relative is their child.
INVERSE_LABELS: dict[str, str | Promise] = {
    RelationshipKind.PARENT: _("Child"),
    RelationshipKind.STEP_PARENT: _("Step-child"),
    RelationshipKind.CARER: _("Cared-for child"),
    RelationshipKind.GRANDPARENT: _("Grandchild"),
    RelationshipKind.SIBLING: _("Sibling"),
    RelationshipKind.HALF_SIBLING: _("Half-sibling"),
    RelationshipKind.PARTNER: _("Partner"),
    RelationshipKind.HOUSEHOLD_MEMBER: _("Household member"),
    RelationshipKind.OTHER_RELATIVE: _("Other relative"),
}


class Relationship(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=24, choices=RelationshipKind.choices)
    has_parental_responsibility = models.BooleanField(default=False)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")), name="relationship_not_to_self"
            ),
            models.UniqueConstraint(
                fields=["person", "relative", "kind"], name="relationship_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} of {self.relative_id}"


class InvolvementRole(models.TextChoices):
    """What the agency does for the child; the basis of SM1's invitation rule."""

    SCHOOL = "school", _("School")
    NURSERY = "nursery", _("Nursery or early years")
    GP = "gp", _("GP")
    HEALTH_VISITOR = "health_visitor", _("Health visitor")
    SCHOOL_NURSE = "school_nurse", _("School nurse")
    MIDWIFE = "midwife", _("Midwife")
    CAMHS = "camhs", _("CAMHS")
    PAEDIATRICS = "paediatrics", _("Paediatrics")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    EARLY_HELP = "early_help", _("Early help")
    POLICE = "police", _("Police")
    YOUTH_JUSTICE = "youth_justice", _("Youth justice")
    PROBATION = "probation", _("Probation")
    HOUSING = "housing", _("Housing")
    PROVIDER = "provider", _("Commissioned service")
    OTHER = "other", _("Other")


class Involvement(Recorded):
    """An agency (a team, a named professional) works with a person from one date to another."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="involvements"
    )
    role = models.CharField(max_length=24, choices=InvolvementRole.choices)
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="involvements",
    )
    professional_name = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["person", "-start_date"]
        indexes = [
            models.Index(fields=["agency", "person", "end_date"], name="involvement_agency"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="involvement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.role} for {self.person_id}"

    def is_current(self, on: dt.date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class RestrictedAccess(models.Model):
    """A named person who may see a restricted record."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="restricted_access")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restricted_access"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()
    reason = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "user"], name="restricted_access_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} may see {self.person_id}"


class BreakGlass(models.Model):
    """Emergency access to a restricted record: who, why, and until when (audited, alerted)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass"
    )
    reason = models.TextField()
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["user", "person", "expires_at"], name="break_glass_live")]

    def __str__(self) -> str:
        return f"{self.user_id} broke glass on {self.person_id}"


class MatchKey(models.Model):
    """A blocking key of a person for the matcher (FD6): ``kind:value``, e.g. ``dob:2015-03-04``
    or ``fg:JNS|david``. Maintained by the services that write people (``matching.keys``)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_keys")
    key = models.CharField(max_length=80)

    class Meta:
        indexes = [models.Index(fields=["key", "person"], name="match_key")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.key}"


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    NOT_SAME = "not_same", _("Not the same person")


class DuplicateCandidate(models.Model):
    """A pair of records ``tarian dedupe`` found likely to be one person, for review (IS3).

    ``person_a`` has the lower id. A pair marked "not the same person" is remembered: later
    runs do not raise it again."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    found_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="duplicate_a_lt_b"
            ),
        ]
        indexes = [models.Index(fields=["status", "score"], name="duplicate_status")]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id} {self.score:.3f}"

    def reasons_read(self) -> list[str]:
        """The matcher's reasons, kept as the catalogue's words, in the active language (#20
        item 11)."""
        from tarian.people.matching.compare import read_stored

        return [read_stored(reason) for reason in self.reasons]


class Merge(models.Model):
    """One merge of a duplicate record into the record kept (IS3): audited and reversible.

    ``moved`` lists, per kind of row, the ids that were moved from the merged record to the
    kept one, so that undoing the merge moves back exactly those rows."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_merged")
    reason = models.TextField()
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)
    # IS1: the merged record was restricted and the kept one was not, so the merge restricted
    # the kept record (with the merged record's named people); undoing it lifts it again.
    restriction_inherited = models.BooleanField(default=False)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} into {self.kept_id}"
