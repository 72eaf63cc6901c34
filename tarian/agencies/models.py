"""Agencies, teams, roles and users (IS1 groundwork).

Every user belongs to exactly one agency and holds one or more roles. What a role in a kind of
agency may do to a kind of record is a row of ``SharingRule``, consulted in one place
(``tarian.agencies.access``); there is no other source of permission.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tarian.procedures.packs import current_pack


class AgencyType(models.TextChoices):
    CHILDRENS_SERVICES = "childrens_services", _("Children's services")
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health")
    GP_PRACTICE = "gp_practice", _("GP practice")
    SCHOOL = "school", _("School")
    EDUCATION_AUTHORITY = "education_authority", _("Education authority")
    PROBATION = "probation", _("Probation")
    YOUTH_JUSTICE = "youth_justice", _("Youth justice")
    PROVIDER = "provider", _("Commissioned provider")
    HOUSING = "housing", _("Housing")
    BOARD = "board", _("Safeguarding board")
    OTHER = "other", _("Other")


class RoleCode(models.TextChoices):
    REFERRER = "referrer", _("Referrer")
    DSL = "dsl", _("Designated safeguarding lead")
    GATEWAY_WORKER = "gateway_worker", _("Gateway worker")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    TEAM_MANAGER = "team_manager", _("Team manager")
    CRU_OFFICER = "cru_officer", _("Central referral unit officer")
    CRU_SUPERVISOR = "cru_supervisor", _("Central referral unit supervisor")
    HEALTH_PRACTITIONER = "health_practitioner", _("Health practitioner")
    CONFERENCE_CHAIR = "conference_chair", _("Conference chair")
    ALLEGATIONS_MANAGER = "allegations_manager", _("Allegations manager")
    BOARD_MEMBER = "board_member", _("Board member")
    AUDITOR = "auditor", _("Auditor")
    WHISTLEBLOWING_OFFICER = "whistleblowing_officer", _("Whistle-blowing officer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Agency(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    type = models.CharField(max_length=32, choices=AgencyType.choices)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str = "en") -> str:
        """The agency's name for a reader of ``language``: its Welsh name where it has one."""
        return self.name_cy if language == "cy" and self.name_cy else self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name_in_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"

    def display_name(self, language: str = "en") -> str:
        """The team's name for a reader of ``language``: its Welsh name where it has one."""
        return self.name_cy if language == "cy" and self.name_cy else self.name


class Role(models.Model):
    code = models.CharField(max_length=32, unique=True, choices=RoleCode.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        if self.code == RoleCode.DSL:
            # The procedures pack's own name: "designated safeguarding person" in Wales (#20).
            return capfirst(current_pack().term("safeguarding_lead", get_language() or "en"))
        return str(self.get_code_display())


class User(AbstractUser):
    """A practitioner: one agency, one or more roles, optionally a team."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users")
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # The language the user reads Tarian in, remembered when they choose one ("" until then:
    # the site's default). What is written for them to read later, such as the feedback on
    # their referral, is written in it (VC2, FD5).
    language = models.CharField(
        max_length=8, blank=True, choices=[("en", "English"), ("cy", "Cymraeg")]
    )

    # Kept for one request by ``tarian.agencies.access.prime_rules`` (not database fields).
    _role_codes: frozenset[str]

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def role_codes(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_codes", None)
        if cached is None:
            # The roles come with the user's sharing rules, in one statement, kept for the
            # request: nearly every request asks for both.
            from tarian.agencies.access import prime_rules_for

            prime_rules_for(self)
            cached = self._role_codes
        return cached

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes() & set(codes))

    def reads_in(self) -> str:
        """The language to write to this user in: their choice, else the site's default."""
        return self.language or settings.LANGUAGE_CODE


class RecordKind(models.TextChoices):
    """Kinds of person-linked record that sharing rules speak about."""

    PERSON = "person", _("Person's record")
    INVOLVEMENT = "involvement", _("Involvement")
    ACCESS_LOG = "access_log", _("Who has viewed a record")
    RECORD_HISTORY = "record_history", _("Record history")
    RESTRICTION = "restriction", _("Restriction of a record")
    DOCUMENT = "document", _("Document")
    REFERRAL = "referral", _("Referral")
    SUPERVISOR_REVIEW = "supervisor_review", _("Supervisor review of a police referral")
    GATEWAY_DECISION = "gateway_decision", _("Gateway decision")
    DECISION_SIGN_OFF = "decision_sign_off", _("Manager sign-off of a decision")
    # Merging duplicate records and working through the list ``tarian dedupe`` finds (IS3).
    MERGE = "merge", _("Merging duplicate records")
    THRESHOLD_GUIDE = "threshold_guide", _("The partnership's threshold guide")
    # Issue 21: meetings of every kind (strategy discussions and meetings first); "involved"
    # scope means the meetings the user's agency convened or is invited to.
    MEETING = "meeting", _("Meeting")


class Action(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Write")
    LIST = "list", _("List and search")
    EXPORT = "export", _("Export")


class Scope(models.TextChoices):
    """How far a permission reaches.

    ``all``: every record of the partnership. ``involved``: only people the user's agency is
    currently involved with (or recorded itself). ``none``: nothing (the default).
    """

    ALL = "all", _("All records")
    INVOLVED = "involved", _("Records of people the agency is involved with")
    NONE = "none", _("None")


class SharingRule(models.Model):
    """One line of an information-sharing agreement (IS1): who may do what to which records."""

    agency_type = models.CharField(
        max_length=32,
        choices=AgencyType.choices,
        blank=True,
        help_text="Blank means any kind of agency.",
    )
    role = models.CharField(max_length=32, choices=RoleCode.choices)
    # One of ``RecordKind``, checked when the rules are loaded (``tarian.agencies.sharing``)
    # rather than by ``choices``, so that a new kind of record needs no migration.
    record_kind = models.CharField(max_length=32)
    action = models.CharField(max_length=16, choices=Action.choices)
    scope = models.CharField(max_length=16, choices=Scope.choices)
    agreement = models.CharField(max_length=200)
    lawful_basis = models.CharField(max_length=300)

    class Meta:
        ordering = ["role", "record_kind", "action"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency_type", "role", "record_kind", "action"],
                name="sharing_rule_unique",
            )
        ]

    def __str__(self) -> str:
        who = f"{self.role}@{self.agency_type or '*'}"
        return f"{who} {self.action} {self.record_kind}: {self.scope}"


class SharingRulesStamp(models.Model):
    """One row whose ``stamp`` changes whenever any sharing rule is added, changed or removed,
    however it is done (the loader, a bulk insert, an update, raw SQL): database triggers on
    ``SharingRule`` write a new random value in the same transaction (migration 0014).

    Every request reads the stamp with the user (one statement), so each process can keep the
    partnership's rules in memory and still apply a change to the very next request
    (``tarian.agencies.access``); a change rolled back restores the old stamp with the old
    rules. Where there are no triggers (an engine Tarian does not support) the row is absent
    and the rules are read on every request, as before."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    stamp = models.BigIntegerField()

    def __str__(self) -> str:
        return f"sharing rules stamp {self.stamp}"


class EnrolmentLink(models.Model):
    """A one-time link with which a user whose role needs two-factor authentication sets up
    their authenticator app (#18): their password alone is not enough to do it.

    Only a hash of the link's secret is kept. It expires, and opening it uses it up."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_links")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"enrolment link for {self.user} ({self.created_at:%Y-%m-%d %H:%M})"


class ApiToken(models.Model):
    """An API token (``tarian.agencies.credentials``): each belongs to one user, is stored only
    as a hash, expires and can be revoked.

    The table keeps the name it had when tokens lived in the ``api`` app."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "api_apitoken"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
