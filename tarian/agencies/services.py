"""What is done to accounts, each written to the audit log (IS1, IS4): creating a user in an
agency with a team and roles, and issuing and revoking API tokens.

``actor`` is the person who does it, or None for the system (a command run on the server, the
demo): the audit log names that "Tarian (system)". ``tarian create-user``, the demo and the
account page call these functions; none of them saves a user or a token itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tarian.agencies import credentials
from tarian.agencies.models import Agency, ApiToken, Role, RoleCode, Team, User
from tarian.agencies.two_factor import needs_two_factor
from tarian.audit.models import AccessAction
from tarian.audit.services import record_access
from tarian.errors import NotFound, Refused

# Record kinds in the audit log (not sharing-rule kinds: no rule reads accounts).
USER = "user"
API_TOKEN = "api_token"  # noqa: S105  # nosec B105 - a name, not a secret


@transaction.atomic
def create_user(
    actor: User | None,
    *,
    username: str,
    agency: str,
    roles: Iterable[str],
    password: str,
    team: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    allow_weak_password: bool = False,
) -> User:
    """Create the user ``username`` in the agency with slug ``agency`` (or bring an existing
    user of that name to it), in ``team`` (a team of the agency by name, made if new; none if
    blank), holding exactly ``roles``, with ``password``. Names, email and job title left blank
    keep what an existing user has.

    ``allow_weak_password`` skips the password rules (throwaway set-ups and the demo only)."""
    codes = sorted(set(roles))
    errors: dict[str, list[str]] = {}
    if not username.strip():
        errors["username"] = [_("Give the user a username")]
    found = Agency.objects.filter(slug=agency).first()
    if found is None:
        errors["agency"] = [_("No agency with slug '%(slug)s': create it first") % {"slug": agency}]
    unknown = [code for code in codes if code not in RoleCode.values]
    if unknown:
        errors["roles"] = [
            _("No role called %(roles)s: the roles are %(known)s")
            % {"roles": ", ".join(map(repr, unknown)), "known": ", ".join(RoleCode.values)}
        ]
    elif not codes:
        errors["roles"] = [_("Give the user at least one role")]
    if errors:
        raise Refused(errors)
    assert found is not None
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username)
    user.first_name = first_name or user.first_name
    user.last_name = last_name or user.last_name
    user.email = email or user.email
    user.job_title = job_title or user.job_title
    if not allow_weak_password:
        # After the names and email: a password like them is refused.
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise Refused({"password": list(exc.messages)}) from exc
    user.agency = found
    user.team = Team.objects.get_or_create(agency=found, name=team)[0] if team else None
    user.set_password(password)
    user.save()
    user.roles.set(Role.objects.filter(code__in=codes))
    record_access(
        actor,
        action=AccessAction.CREATE if created else AccessAction.UPDATE,
        record_kind=USER,
        record_id=user.pk,
        detail={
            "username": user.username,
            "agency": found.slug,
            "team": team,
            "roles": codes,
        },
    )
    return user


@transaction.atomic
def issue_token(actor: User | None, *, user: User, name: str = "", days: int | None = None) -> str:
    """Issue ``user`` an API token (an administrator on the server: ``tarian create-user
    --token``) and return it in clear, once; only its hash is kept."""
    token, raw = credentials.new_token(user, name=name, days=days)
    _record_token(actor, token, AccessAction.CREATE)
    return raw


@transaction.atomic
def issue_account_token(actor: User, *, name: str, second_factor_verified: bool) -> str:
    """A token the user asks for on their account page, for themselves. A role that needs
    two-factor authentication gets one only in a session that has passed it."""
    if needs_two_factor(actor) and not second_factor_verified:
        raise Refused(
            "name",
            _(
                "Your role needs two-factor authentication: sign in with a code from your "
                "authenticator app before you create a token"
            ),
        )
    token, raw = credentials.new_token(actor, name=name)
    _record_token(actor, token, AccessAction.CREATE)
    return raw


@transaction.atomic
def revoke_account_token(actor: User, *, token_id: int) -> None:
    """Revoke one of the user's own tokens; another user's is not found. Revoking a token
    already revoked changes nothing and records nothing."""
    # Locked so that two revocations at once record one change.
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound(token_id)
    if token.revoked_at is not None:
        return
    token.user = actor
    credentials.revoke_token(token)
    _record_token(actor, token, AccessAction.UPDATE, revoked=True)


def _record_token(
    actor: User | None, token: ApiToken, action: str, *, revoked: bool = False
) -> None:
    detail: dict[str, object] = {
        "username": token.user.username,
        "name": token.name,
        "prefix": token.prefix,
        "expires_at": token.expires_at.isoformat(timespec="seconds"),
    }
    if revoked:
        detail["revoked"] = True
    record_access(actor, action=action, record_kind=API_TOKEN, record_id=token.pk, detail=detail)


def remember_language(user: User, *, language: str) -> None:
    """The user chose to read Tarian in ``language`` (VC2): what is written for them later,
    such as the feedback on their referral (FD5), is written in it. A language Tarian does
    not offer is ignored."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return
    user.language = language
    user.save(update_fields=["language"])
