"""The demo cast: one user for each role, in the seeded Gaerwen agencies (synthetic people)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django_otp import user_has_device

from tarian.agencies.models import User
from tarian.agencies.services import create_user
from tarian.agencies.two_factor import issue_enrolment_link, needs_two_factor

if TYPE_CHECKING:
    from tarian.seed.contributions import DemoContext

DEMO_PASSWORD = "Tarian-demo-2026"  # noqa: S105  # nosec B105 - published: the demo is synthetic


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    agency_slug: str
    team: str
    roles: tuple[str, ...]
    job_title: str


def demo_logins(school_slug: str, gp_slug: str) -> list[DemoLogin]:
    cs = "gaerwen-childrens-services"
    return [
        DemoLogin(
            "gateway",
            "Nia",
            "Prydderch",
            cs,
            "Gateway",
            ("gateway_worker",),
            "Gateway social worker",
        ),
        DemoLogin(
            "social.worker",
            "Owain",
            "Bevan",
            cs,
            "Assessment North",
            ("social_worker",),
            "Social worker",
        ),
        DemoLogin(
            "team.manager", "Catrin", "Howells", cs, "Gateway", ("team_manager",), "Team manager"
        ),
        DemoLogin(
            "chair",
            "Rhian",
            "Mathias",
            cs,
            "Child Protection",
            ("conference_chair",),
            "Independent reviewing officer",
        ),
        DemoLogin(
            "allegations",
            "Gareth",
            "Llewellyn",
            cs,
            "",
            ("allegations_manager",),
            "Designated officer for allegations",
        ),
        DemoLogin(
            "cru.officer",
            "Mark",
            "Hughes",
            "gaerwen-police",
            "Central Referral Unit",
            ("cru_officer",),
            "Police constable, central referral unit",
        ),
        DemoLogin(
            "cru.supervisor",
            "Sara",
            "Lloyd",
            "gaerwen-police",
            "Central Referral Unit",
            ("cru_supervisor",),
            "Detective sergeant, central referral unit",
        ),
        DemoLogin(
            "school.dsl",
            "Elen",
            "Parry",
            school_slug,
            "",
            ("dsl", "referrer"),
            "Designated safeguarding lead",
        ),
        DemoLogin(
            "gp",
            "Amir",
            "Rahman",
            gp_slug,
            "",
            ("health_practitioner", "referrer"),
            "GP, safeguarding lead",
        ),
        DemoLogin(
            "health.visitor",
            "Beth",
            "Watkins",
            "gaerwen-health",
            "Health Visiting",
            ("health_practitioner", "referrer"),
            "Health visitor",
        ),
        DemoLogin(
            "referrer",
            "Tom",
            "Vaughan",
            "gaerwen-youth-justice",
            "",
            ("referrer",),
            "Youth justice worker",
        ),
        DemoLogin(
            "board",
            "Helen",
            "Rees",
            "gaerwen-board",
            "",
            ("board_member",),
            "Independent chair, safeguarding board",
        ),
        DemoLogin(
            "auditor",
            "Dylan",
            "Pugh",
            "gaerwen-board",
            "",
            ("auditor",),
            "Quality assurance officer",
        ),
        DemoLogin("admin", "Alun", "Jenkins", cs, "", ("system_admin",), "System administrator"),
    ]


@transaction.atomic
def create_demo_users(school_slug: str, gp_slug: str) -> list[DemoLogin]:
    """The cast, made through ``create_user`` (audited, by the system); a user who is there
    already is left as they are."""
    logins = demo_logins(school_slug, gp_slug)
    existing = set(
        User.objects.filter(username__in=[login.username for login in logins]).values_list(
            "username", flat=True
        )
    )
    for login in logins:
        if login.username in existing:
            continue
        create_user(
            None,
            username=login.username,
            agency=login.agency_slug,
            roles=login.roles,
            password=DEMO_PASSWORD,
            team=login.team,
            first_name=login.first_name,
            last_name=login.last_name,
            email=f"{login.username}@example.org",
            job_title=login.job_title,
            allow_weak_password=True,
        )
    return logins


def enrolment_links(logins: list[DemoLogin], *, base_url: str) -> list[tuple[str, str]]:
    """A fresh one-time set-up link for each demo user who must use two-factor authentication
    and has no authenticator app yet (#18): their password alone cannot set one up."""
    links = []
    for login in logins:
        user = User.objects.get(username=login.username)
        if needs_two_factor(user) and not user_has_device(user):
            issued = issue_enrolment_link(user, issued_by="tarian demo")
            links.append((login.username, issued.url(base_url)))
    return links


def demo(context: DemoContext) -> None:
    """The cast, and at the end of the demo's output a log-in for each role and the set-up
    links of those who must use two-factor authentication."""
    logins = create_demo_users(context.area.school_slug, context.area.gp_slug)
    closing = context.closing
    closing.append(f"Demo log-ins (every password is {DEMO_PASSWORD}):")
    width = max(len(login.username) for login in logins)
    for login in logins:
        closing.append(
            f"  {login.username:<{width}}  {', '.join(login.roles):<36} {login.job_title}"
        )
    links = enrolment_links(logins, base_url=context.base_url)
    if links:
        closing.append("")
        closing.append(
            "These must set up two-factor authentication with an authenticator app before "
            "anything else. Open the user's one-time set-up link, then sign in (each works "
            "once; the demo prints new ones each time it starts):"
        )
        for username, url in links:
            closing.append(f"  {username:<{width}}  {url}")
