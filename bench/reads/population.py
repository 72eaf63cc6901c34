"""The register the API read benchmark asks about (``bench/api_reads.py``), its readers, and
what each endpoint is asked.

- ``load(people=N)``: the seed's Gaerwen area (``seed_area``: agencies, families, involvements
  and the matcher's keys) with about N people, then referrals written directly as the seed
  writes its rows (docs/decisions/0007; ``COPY`` on PostgreSQL), so that referral reads and
  chronologies have something to show: about one child in eight referred, by an agency
  involved with them or the police, most of them decided and signed off.
- ``readers()``: two API token users, a children's services social worker (scope ``all``) and
  the DSL of the school with the most pupils (scope ``involved``, the costlier rule).
- ``asked(reader, ...)``: the paths of each endpoint for that reader, over records picked at
  random from what the reader may see.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Model
from django.utils import timezone
from tqdm import tqdm

from bench.matching.load import BulkTable
from tarian import procedures
from tarian.agencies.access import scope_for
from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Action, Agency, AgencyType, RecordKind, Role, Scope, User
from tarian.people.models import Involvement, Person, PersonKind, Residence
from tarian.people.services import new_ref
from tarian.procedures.packs import current_pack
from tarian.referrals.demo import RATIONALES, SCHOOL_CONCERNS
from tarian.referrals.models import DecisionSignOff, GatewayDecision, Referral, ReferralStatus
from tarian.seed.agencies import area_agencies
from tarian.seed.write import seed_area

# People per child in the seeded area (206,491 people for 100,000 children).
PEOPLE_PER_CHILD = 2.065
REFERRED_SHARE = 0.12
YEARS_OF_REFERRALS = 3
ABSENT_VOICE = "Not seen: the family did not answer the door."


@dataclass(frozen=True)
class Reader:
    key: str  # "social_worker", "dsl"
    label: str
    user: User
    scope: str
    token: str


def load(*, people: int, random_seed: int) -> dict[str, Any]:
    """Seed about ``people`` people and refer some of the children (one transaction each)."""
    children = max(1, round(people / PEOPLE_PER_CHILD))
    seeded = seed_area(children=children, random_seed=random_seed, progress=True)
    print(seeded.describe(), file=sys.stderr, flush=True)
    referrals = write_referrals(random_seed=random_seed)
    return {"seed": seeded.describe(), "people": seeded.people, "referrals": referrals}


def _staff(username: str, agency: Agency, roles: list[str]) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"agency": agency})
    user.agency = agency
    user.set_unusable_password()
    user.save()
    user.roles.set(Role.objects.filter(code__in=roles))
    return user


def _involved_agencies() -> Iterator[tuple[int, list[int]]]:
    """Each child with the agencies currently involved with them, in id order."""
    rows = (
        Involvement.objects.filter(person__kind=PersonKind.CHILD, end_date__isnull=True)
        .order_by("person_id", "agency_id")
        .values_list("person_id", "agency_id")
        .iterator(chunk_size=20_000)
    )
    for person_id, group in itertools.groupby(rows, key=lambda row: row[0]):
        yield person_id, [agency_id for _person, agency_id in group]


def _referrers(agency_ids: set[int]) -> dict[int, int]:
    """A practitioner (no roles: they only ever referred) for each referring agency."""
    names = {agency_id: f"bench.referrer.{agency_id}" for agency_id in agency_ids}
    users = [User(username=name, agency_id=agency_id) for agency_id, name in names.items()]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users, batch_size=1000)
    found = User.objects.filter(username__in=list(names.values()))
    return {user.agency_id: user.pk for user in found if user.agency_id is not None}


def write_referrals(*, random_seed: int) -> int:
    """Referrals, their children, Gateway decisions and sign-offs, written directly."""
    rng = random.Random(random_seed)  # noqa: S311 - synthetic data
    area = area_agencies()
    gateway = _staff("bench.gateway", area.childrens_services, ["gateway_worker"])
    manager = _staff("bench.manager", area.childrens_services, ["team_manager"])
    outcomes = current_pack().codes("gateway_outcomes")
    now = timezone.now()
    planned: list[tuple[int, int, dt.datetime]] = []  # (child, referring agency, submitted)
    for person_id, agencies in tqdm(
        _involved_agencies(), desc="Choosing referrals", unit=" children", file=sys.stderr
    ):
        if rng.random() < REFERRED_SHARE:
            agency_id = rng.choice([*agencies, area.police.pk])
            submitted = now - dt.timedelta(
                days=rng.uniform(0, 365 * YEARS_OF_REFERRALS), hours=rng.uniform(1, 6)
            )
            planned.append((person_id, agency_id, submitted))
    with transaction.atomic():
        referrers = _referrers({agency_id for _child, agency_id, _at in planned})
        referral = BulkTable(
            Referral,
            (
                "id", "ref", "referrer", "referrer_agency", "concern", "voice_of_child",
                "voice_method", "voice_of_child_absent_reason", "parental_awareness", "consent",
                "priority", "status", "submitted_at", "received_at", "decision_due_at",
                "feedback_sent_at", "created_by", "modified_by", "version",
            ),
            now,
        )  # fmt: skip
        children = BulkTable(Referral.children.through, ("referral", "person"), now)
        decision = BulkTable(
            GatewayDecision,
            ("id", "referral", "outcome", "rationale", "decided_by", "decided_at"),
            now,
        )
        sign_off = BulkTable(DecisionSignOff, ("decision", "signed_off_by", "signed_off_at"), now)
        stamp = connection.ops.adapt_datetimefield_value
        next_referral, next_decision = referral.next_id(), decision.next_id()
        refs: set[str] = set()
        rows: dict[str, list[tuple[Any, ...]]] = {"r": [], "c": [], "d": [], "s": []}
        for child, agency_id, submitted in planned:
            ref = ""
            while not ref or ref in refs:
                ref = "R" + new_ref(f"{rng.getrandbits(40):010x}")[1:]
            refs.add(ref)
            concern, voice, priority = rng.choice(SCHOOL_CONCERNS)
            referrer = referrers[agency_id]
            due = procedures.due_at("gateway_decision", submitted)
            decided = now - submitted > dt.timedelta(days=30)
            decided_at = submitted + dt.timedelta(hours=rng.uniform(2, 72))
            signed_at = decided_at + dt.timedelta(hours=rng.uniform(1, 48))
            rows["r"].append(
                (
                    next_referral, ref, referrer, agency_id, f"The child {concern}.", voice,
                    ("own_words" if voice.startswith("'") else "observation") if voice else "",
                    "" if voice else ABSENT_VOICE, "aware", "given", priority,
                    ReferralStatus.DECIDED if decided else ReferralStatus.AWAITING_DECISION,
                    stamp(submitted), stamp(submitted), stamp(due),
                    stamp(signed_at) if decided else None, referrer,
                    manager.pk if decided else referrer, 3 if decided else 1,
                )
            )  # fmt: skip
            rows["c"].append((next_referral, child))
            if decided:
                rows["d"].append(
                    (next_decision, next_referral, rng.choice(outcomes), RATIONALES[0], gateway.pk,
                     stamp(decided_at))
                )  # fmt: skip
                rows["s"].append((next_decision, manager.pk, stamp(signed_at)))
                next_decision += 1
            next_referral += 1
        referral.write(rows["r"])
        children.write(rows["c"])
        decision.write(rows["d"])
        sign_off.write(rows["s"])
        _move_sequences([Referral, GatewayDecision])
    return len(rows["r"])


def _move_sequences(models: list[type[Model]]) -> None:
    """Move PostgreSQL's sequences past the ids given out (a no-op on SQLite)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _token_user(key: str, label: str, username: str, agency: Agency, role: str) -> Reader:
    user = _staff(username, agency, [role])
    scope = scope_for(user, RecordKind.PERSON, Action.READ)
    return Reader(key, label, user, str(scope), issue_token(user, name="bench/api_reads.py"))


def readers() -> list[Reader]:
    """The social worker and the DSL, each with a new API token."""
    area = area_agencies()
    worker = _token_user(
        "social_worker", "social worker (scope all)", "bench.social.worker",
        area.childrens_services, "social_worker",
    )  # fmt: skip
    busiest = (
        Involvement.objects.filter(agency__type=AgencyType.SCHOOL, end_date__isnull=True)
        .values("agency_id")
        .annotate(pupils=Count("person_id"))
        .order_by("-pupils", "agency_id")
        .first()
    )
    if busiest is None:
        raise SystemExit("No school has pupils: was the register loaded?")
    school = Agency.objects.get(pk=busiest["agency_id"])
    dsl = _token_user("dsl", f"school DSL (scope involved, {school.name})", "bench.dsl",
                      school, "dsl")  # fmt: skip
    if worker.scope != Scope.ALL or dsl.scope != Scope.INVOLVED:
        raise SystemExit(
            f"Expected scopes all and involved, found {worker.scope} and {dsl.scope}: "
            "check the sharing rules"
        )
    return [worker, dsl]


def _random_ids(model: type[Model], count: int, rng: random.Random) -> list[int]:
    """Ids drawn at random from the range in use (without reading the whole table)."""
    bounds = model._default_manager.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    return [rng.randint(bounds["low"], bounds["high"]) for _ in range(count)]


def _people_anyone(count: int, rng: random.Random, *, children_only: bool) -> list[Person]:
    people = Person.objects.filter(pk__in=_random_ids(Person, count * 3, rng))
    if children_only:
        people = people.filter(kind=PersonKind.CHILD)
    found = list(people.order_by("pk"))
    rng.shuffle(found)
    return found[:count]


def _pupils(school_id: int) -> list[Person]:
    today = timezone.localdate()
    return list(
        Person.objects.filter(
            involvements__agency_id=school_id,
            involvements__start_date__lte=today,
            involvements__end_date__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def _match_path(person: Person, postcodes: dict[int, str]) -> str:
    params = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "postcode": postcodes.get(person.pk, ""),
    }
    return "/api/v1/people/match?" + urlencode({k: v for k, v in params.items() if v})


def asked(reader: Reader, *, count: int, random_seed: int) -> dict[str, list[str]]:
    """Paths for each endpoint: up to ``count`` records the reader may see, picked at random."""
    rng = random.Random(random_seed)  # noqa: S311 - not security
    if reader.scope == Scope.ALL:
        people = _people_anyone(count, rng, children_only=False)
        children = _people_anyone(count, rng, children_only=True)
        referral_ids = _random_ids(Referral, count * 2, rng)
        referrals = list(Referral.objects.filter(pk__in=referral_ids).values_list("ref", flat=True))
    else:
        agency_id = reader.user.agency_id
        assert agency_id is not None
        children = people = _pupils(agency_id)
        referrals = list(
            Referral.objects.filter(referrer_agency_id=agency_id).values_list("ref", flat=True)
        )
    rng.shuffle(referrals)
    matched = [p for p in children if p.date_of_birth is not None][:count]
    postcodes = dict(
        Residence.objects.filter(person__in=matched, end_date__isnull=True).values_list(
            "person_id", "address__postcode"
        )
    )
    return {
        "person": [f"/api/v1/people/{p.ref}" for p in people[:count]],
        "referral": [f"/api/v1/referrals/{ref}" for ref in referrals[:count]],
        "chronology": [f"/api/v1/children/{p.ref}/chronology" for p in children[:count]],
        "match": [_match_path(p, postcodes) for p in matched],
    }
