"""Find a person (FD6, IS1, IS4; issue 20 item 7): the search box, through the matcher.

What was typed is read, and each person compared with it, by ``tarian.people.search_query``
(the matcher's comparisons, weights and reasons). This module finds who may be about the query,
applies the sharing rules, counts, pages and audits.

Who may be about the query comes from the matcher's blocking keys (``people_matchkey``), read
through their index: everyone whose surname, or a part of it, current or previous, sounds like
the one typed (``fy:`` keys, by range), the matcher's own keys when a date of birth is typed,
people with the given name (or another form of it) or whose name starts as typed, and the
slips no key holds (``_near_names``). When that block is small
(``SCORE_LIMIT``) every person in it is compared and ranked, and only those whose every typed
detail agrees are listed. A very common name ("Jones") is listed from the database instead:
the surname sounds alike, and with a given name the matcher's surname-and-given-name keys
agree, so every person listed still agrees with what was typed; they are counted there, ranked
exact surname first then by name, and only the page shown is compared for its reasons. Either
way the count is of everyone listed, and the number of statements does not grow with the
results or the register.

Only people the user may list are ever compared, counted or shown (``people_for(user,
Action.LIST)``): a person the user may not see never appears, nor adds to the count. Every
person shown is audited as a search result (IS4).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Abs, Coalesce, ExtractYear, Least
from django.utils import timezone

from tarian.agencies.models import Action, RecordKind, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_accesses
from tarian.core.rawsql import table
from tarian.errors import NotFound
from tarian.people.matching.compare import slip_of
from tarian.people.matching.engine import MatchQuery, counts, query_keys
from tarian.people.matching.names import (
    family_forms,
    family_keys,
    folded_family_forms,
    folded_given_forms,
    given_forms,
    given_groups_or_name,
    given_names_like,
    whole_surnames,
)
from tarian.people.matching.profiles import load_profiles
from tarian.people.models import (
    BreakGlass,
    MatchKey,
    Person,
    PersonName,
    Residence,
    RestrictedAccess,
)
from tarian.people.restriction import restriction_filter
from tarian.people.search_query import (
    Reading,
    SearchQuery,
    Verdict,
    forms_of,
    judge,
    parse_search,
    reasons_for,
    said,
)
from tarian.people.selectors import people_in_scope

PER_PAGE = 25
# A block of at most this many people is compared person by person (about 0.1 ms each, with
# their profiles read); a larger one is narrowed to people whose given name agrees as well, or
# listed from the database ("Jones" alone is thousands at 100,000 children).
SCORE_LIMIT = 150



# --- Who may be about the query: the matcher's blocking keys -------------------------------


def _sound_keys(sounds: set[str], years: list[int]) -> tuple[str, list[Any]]:
    """A key condition for everyone whose surname (or a part of it, current or previous)
    sounds like one of these; with years, born in one of them."""
    where: list[str] = []
    params: list[Any] = []
    for sound in sorted(sounds):
        if years:
            where.append(f"key IN ({', '.join(['%s'] * len(years))})")
            params.extend(f"fy:{sound}|{y}" for y in years)
        else:
            # Every "fy:JNS|<year>" key: "}" sorts just after "|", so the range holds exactly
            # the keys of this sound (not JNSN's), read through the keys' index. Everyone has a
            # year (an unborn baby's is the expected date's), so no one is left out.
            where.append("(key >= %s AND key < %s)")
            params.extend([f"fy:{sound}|", f"fy:{sound}}}"])
    return " OR ".join(where), params


def _in(column: str, values: list[str]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


@dataclass
class Block:
    """A statement naming the people a query may be about (``person_id``; one may be named
    more than once)."""

    sql: str
    params: list[Any]


def _near_names(query: SearchQuery) -> list[tuple[str, list[str]]]:
    """Slips that no blocking key holds, looked up by the name typed right: a given name
    mistyped with a surname typed whole ("Palu Morris"), and a surname mistyped so that it
    sounds different with a given name typed whole ("Amelia Johson"). Two statements through
    the names' indexes: the given names recorded with the surname typed, and the surnames
    recorded with the given name typed (or another form of it); each that the matcher would
    call similar (a typo, a shortened name) becomes a (surname, given names) pair to look up.
    (Other forms and names that sound alike share a key already.)"""
    readings = [r for r in query.readings if r.given and r.family and not r.whole]
    if not readings:
        return []
    families = sorted({r.family for r in readings})
    with connection.cursor() as cursor:
        where, values = _in("family_name_folded", families)
        cursor.execute(
            f"SELECT DISTINCT family_name_folded, given_name_folded FROM {table(Person)} "  # noqa: S608  # nosec B608
            f"WHERE {where}",
            values,
        )
        by_surname = cursor.fetchall()
        by_given = []
        if not by_surname:
            # No one has the surname as typed: perhaps it is the surname that is mistyped.
            givens = sorted({name for r in readings for name in given_names_like(forms_of(r)[0])})
            where, values = _in("given_name_folded", givens)
            cursor.execute(
                f"SELECT DISTINCT given_name_folded, family_name_folded FROM {table(Person)} "  # noqa: S608  # nosec B608
                f"WHERE {where}",
                values,
            )
            by_given = cursor.fetchall()
    pairs: dict[str, set[str]] = {}
    for reading in readings:
        given, family, _full = forms_of(reading)
        for recorded_family, recorded_given in by_surname:
            if recorded_family == reading.family and recorded_given and slip_of(
                given, folded_given_forms(recorded_given)
            ):
                pairs.setdefault(recorded_family, set()).add(recorded_given)
        like = given_names_like(given)
        for recorded_given, recorded_family in by_given:
            if recorded_given in like and recorded_family and slip_of(
                family, folded_family_forms(recorded_family)
            ):
                pairs.setdefault(recorded_family, set()).add(recorded_given)
    return sorted((family, sorted(given)) for family, given in pairs.items())


def _block(
    query: SearchQuery, *, wide: bool, near: list[tuple[str, list[str]]] | None = None
) -> Block | None:
    """The people a query may be about, through the keys' index.

    ``wide``: everyone whose surname sounds alike, whatever their given name, narrowed by the
    year of birth when one is typed (to be compared one by one). Otherwise (to be listed from
    the database) only people whose given name agrees too, through the matcher's
    surname-and-given-name keys; dates are then checked by ``_dated``."""
    keys, people, names = table(MatchKey), table(Person), table(PersonName)
    born = query.date_of_birth
    years = (
        [born.year] if born else [query.year - 1, query.year, query.year + 1] if query.year
        else []
    ) if wide else []
    selects: list[str] = []
    params: list[Any] = []

    def add(sql: str, values: list[Any]) -> None:
        selects.append(sql)
        params.extend(values)

    for reading in query.readings:
        forms = (
            whole_surnames if reading.whole else family_forms
        )([reading.family], folded=True) if reading.family else set()
        sounds = family_keys(forms)
        given = given_forms([reading.given], folded=True) if reading.given else set()
        if sounds and given and not wide:
            canon = given_groups_or_name(given)
            exact = [f"fg:{s}|{g}" for s in sorted(sounds) for g in sorted(canon)]
            where, values = _in("key", exact)
            add(f"SELECT person_id FROM {keys} WHERE {where}", values)  # noqa: S608  # nosec B608
        elif sounds:
            where, values = _sound_keys(sounds, years)
            add(f"SELECT person_id FROM {keys} WHERE {where}", values)  # noqa: S608  # nosec B608
        elif given:
            like = sorted(given_names_like(given))
            # (No condition on the year here: SQLite would then read everyone born in those
            # years through the date's index. The comparison checks the year.)
            where, values = _in("given_name_folded", like)
            add(f"SELECT id FROM {people} WHERE {where}", values)  # noqa: S608  # nosec B608
            where, values = _in("given_name_folded", like)
            add(f"SELECT person_id FROM {names} WHERE {where}", values)  # noqa: S608  # nosec B608
        # As you type: four letters or more may be the start of a name, which the matcher
        # counts as similar (Gwen, Gwenllian; Prydd, Prydderch). Through the names' indexes.
        # Not once a date is typed: the name is typed whole by then.
        if years or born is not None:
            continue
        if reading.family and not reading.whole and (wide or not given):
            _starting(add, "family_name_folded", reading.family)
        elif reading.given and not reading.family:
            _starting(add, "given_name_folded", reading.given)
    for family, given_names in near or []:
        where, values = _in("given_name_folded", given_names)
        add(
            f"SELECT id FROM {people} WHERE family_name_folded = %s AND {where}",  # noqa: S608  # nosec B608
            [family, *values],
        )
    if born is not None and wide:
        # The matcher's own keys for the date of birth: a surname typed so wrongly that it
        # sounds different is still found by date of birth and given name (as a match is).
        found: set[str] = set()
        for reading in query.readings or (Reading("", ""),):
            found |= query_keys(
                MatchQuery(given_name=reading.given, family_name=reading.family, date_of_birth=born)
            )
        if found:
            where, values = _in("key", sorted(found))
            add(f"SELECT person_id FROM {keys} WHERE {where}", values)  # noqa: S608  # nosec B608
    if born is not None and not query.readings:
        add(f"SELECT id FROM {people} WHERE date_of_birth = %s", [born])  # noqa: S608  # nosec B608
    if not selects:
        return None
    return Block(" UNION ALL ".join(selects), params)


def _starting(add: Callable[[str, list[Any]], None], column: str, typed: str) -> None:
    """People whose name (current or previous) starts with a word typed so far."""
    if " " in typed or len(typed) < 4:
        return
    people, names = table(Person), table(PersonName)
    # Longer names only (the name itself is found already), up to "~", which sorts after every
    # letter, digit and space of a folded name.
    span = [typed, typed + "~"]
    add(f"SELECT id FROM {people} WHERE {column} > %s AND {column} < %s", span)  # noqa: S608  # nosec B608
    add(f"SELECT person_id FROM {names} WHERE {column} > %s AND {column} < %s", span)  # noqa: S608  # nosec B608


def _ids(block: Block, limit: int) -> list[int]:
    with connection.cursor() as cursor:
        # DISTINCT with LIMIT stops at the limit: a common surname's block is not read whole.
        cursor.execute(
            f"SELECT DISTINCT person_id FROM ({block.sql}) b LIMIT %s",  # noqa: S608  # nosec B608
            [*block.params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


# --- The answer ---------------------------------------------------------------------------


@dataclass
class Found:
    person: Person
    reasons: list[str] = field(default_factory=list)


@dataclass
class SearchAnswer:
    query: SearchQuery
    results: list[Found]
    count: int
    page: Any  # django.core.paginator.Page, for the pagination component
    # Restricted records the user's role would show but that they are not named on: only their
    # Tarian IDs, to break the glass on (IS1); never counted among the results.
    restricted: list[str] = field(default_factory=list)

    @property
    def people(self) -> list[Person]:
        return [found.person for found in self.results]


def _people(ids: list[int]) -> dict[int, Person]:
    found = Person.objects.filter(pk__in=ids).prefetch_related(
        "names",
        Prefetch(
            "residences",
            queryset=Residence.objects.filter(end_date__isnull=True).select_related("address"),
            to_attr="current_residences",
        ),
    )
    return {p.pk: p for p in found}


RESTRICTED_SHOWN = 5


@dataclass
class _Listed:
    ranked: Sequence[int]
    verdicts: dict[int, Verdict] = field(default_factory=dict)
    restricted: list[str] = field(default_factory=list)


def search_people(
    user: User, text: str, *, page: int | str | None = 1, per_page: int = PER_PAGE,
    strict: bool = False,
) -> SearchAnswer:
    """One page of the people the user may list who match what was typed, with the count of
    them all and each one's reasons; audited as a search (IS4). A page past the last is the
    last page, or with ``strict`` (the API) ``NotFound``."""
    query = parse_search(text)
    if query.kind == "empty":
        listed = _Listed([])
    elif query.is_identifier:
        listed = _by_identifier(user, query)
    else:
        listed = _by_name(user, query, offset=_offset(page, per_page), per_page=per_page)
    paginator: Paginator[int] = Paginator(listed.ranked, per_page)
    if strict:
        try:
            shown = paginator.page(page or 1)
        except InvalidPage as exc:
            raise NotFound("page") from exc
    else:
        shown = paginator.get_page(page)
    ids = list(shown.object_list)
    people = _people(ids) if ids else {}
    verdicts = listed.verdicts
    if query.kind == "name" and ids:
        missing = [pk for pk in ids if pk not in verdicts]
        if missing:  # listed from the database: compare the page shown, for its reasons
            population = counts.get("population", "")
            for pk, profile in load_profiles(missing).items():
                verdicts[pk] = judge(query, profile, population)
    results = [
        Found(
            people[pk],
            [said(r) for r in reasons_for(query, verdicts[pk], people[pk])] if pk in verdicts
            else [],
        )
        for pk in ids
        if pk in people
    ]
    record_accesses(
        user,
        action=AccessAction.SEARCH,
        record_kind=RecordKind.PERSON,
        person_ids=[found.person.pk for found in results],
        detail={"query_kind": query.kind},
    )
    restricted = (
        listed.ranked.restricted if isinstance(listed.ranked, _Ranked) else listed.restricted
    )
    return SearchAnswer(query, results, paginator.count, shown, restricted)


def _in_scope(user: User, ids: Any) -> list[tuple[int, str, bool]]:
    """Of these people, those the user's role lets them list: (id, Tarian ID, may see it now).
    One statement: a restricted record they are not named on is "not now" (IS1)."""
    return list(
        people_in_scope(user, Action.LIST)
        .filter(pk__in=ids)
        .annotate(shown=ExpressionWrapper(restriction_filter(user), output_field=BooleanField()))
        .order_by("pk")
        .values_list("pk", "ref", "shown")
    )


def _by_identifier(user: User, query: SearchQuery) -> _Listed:
    column = {"nhs_number": "nhs_number", "upn": "upn", "ref": "ref"}[query.kind]
    found = _in_scope(user, Person.objects.filter(**{column: query.text}).values("pk"))
    return _Listed(
        [pk for pk, _ref, shown in found if shown],
        restricted=sorted(ref for _pk, ref, shown in found if not shown)[:RESTRICTED_SHOWN],
    )


def _offset(page: int | str | None, per_page: int) -> int:
    """Where the page asked for starts, to read it first; 0 when it is not a page number (the
    paginator then answers as it does for any list)."""
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        return 0
    return max(number - 1, 0) * per_page


def _by_name(user: User, query: SearchQuery, *, offset: int = 0, per_page: int = PER_PAGE
             ) -> _Listed:
    """The people the user may list who match a name, best first."""
    near = _near_names(query)
    wide = _block(query, wide=True, near=near)
    if wide is None:
        return _Listed([])
    ids = _ids(wide, SCORE_LIMIT + 1)
    block = wide
    if len(ids) > SCORE_LIMIT:
        narrow = _block(query, wide=False, near=near)
        if narrow is not None and narrow.sql != wide.sql:
            block = narrow
            ids = _ids(narrow, SCORE_LIMIT + 1)
    if len(ids) <= SCORE_LIMIT:
        # Compare every person in the block the user's role lets them list; one they may not
        # see now (restricted) is compared only to say that a restricted record also matches.
        scoped = _in_scope(user, ids) if ids else []
        shown = {pk for pk, _ref, may in scoped if may}
        refs = {pk: ref for pk, ref, _may in scoped}
        population = counts.get("population", "")
        verdicts = {
            pk: judge(query, profile, population)
            for pk, profile in load_profiles(list(refs)).items()
            if not profile.merged
        }
        verdicts = {pk: v for pk, v in verdicts.items() if v.agrees}
        order = sorted(
            (pk for pk in verdicts if pk in shown),
            key=lambda pk: (verdicts[pk].year_apart, -verdicts[pk].weight, pk),
        )
        hidden = sorted(refs[pk] for pk in verdicts if pk not in shown)
        return _Listed(order, verdicts, hidden[:RESTRICTED_SHOWN])
    # A very common name ("Jones"): everyone the database finds agrees with what was typed,
    # so the database counts and orders them and only the page asked for is read.
    return _Listed(_Ranked(user, query, block, offset=offset, per_page=per_page))


def _hidden_restricted(user: User) -> Q:
    """Restricted records the user may not see now: not named on them, no glass broken (IS1).
    As uncorrelated subqueries, which the database reads once per statement rather than for
    every row of a common name."""
    named = RestrictedAccess.objects.filter(user=user).values("person_id")
    broken = BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now()).values(
        "person_id"
    )
    return Q(is_restricted=True) & ~Q(pk__in=named) & ~Q(pk__in=broken)


class _Ranked(Sequence[int]):
    """The people a very common name lists, best first, read a page at a time: the database
    orders them (the year of birth nearest the one typed first, then the whole surname typed,
    then one of its parts, then names that sound alike; by surname, given name and date of
    birth within) and counts them in the same statement, so what is read from it is the page
    shown, however many there are (#20 item 7). Restricted records the user may not see now
    are ordered after everyone else and never listed or counted; their Tarian IDs are offered
    (``restricted``) to break the glass on."""

    def __init__(
        self, user: User, query: SearchQuery, block: Block, *, offset: int, per_page: int
    ) -> None:
        wholes = sorted({r.family for r in query.readings if r.family})
        parts = sorted(
            family_forms(set(wholes), folded=True) - {w.replace(" ", "") for w in wholes}
        )
        hidden = _hidden_restricted(user)
        people = _dated(
            people_in_scope(user, Action.LIST).filter(pk__in=RawSQL(block.sql, block.params)),  # noqa: S611  # nosec B611
            query,
        ).annotate(
            hidden=Case(When(hidden, then=Value(1)), default=Value(0)),
            family_class=Case(
                When(family_name_folded__in=wholes, then=Value(0)),
                When(family_name_folded__in=parts, then=Value(1)),
                default=Value(2),
            ),
            given_class=Case(When(given_name_folded="", then=Value(2)), default=Value(1)),
        )
        order: list[Any] = ["hidden"]
        if query.year is not None:
            people = people.annotate(year_class=Coalesce(
                Least(Abs(ExtractYear("date_of_birth") - Value(query.year)), Value(9),
                      output_field=IntegerField()),
                Value(0), output_field=IntegerField(),
            ))
            order.append("year_class")
        order += ["family_class", "family_name_folded", "given_class", "given_name_folded",
                  F("date_of_birth").asc(nulls_last=True), "pk"]
        self._base = people.order_by(*order)
        self._people = self._base.annotate(
            total=Window(Count("pk")), hidden_total=Window(Sum("hidden"))
        )
        self._page_at, self._per_page = max(offset, 0), per_page
        self._rows: dict[int, int] = {}
        self._total: int | None = None
        self._hidden = 0

    def _read(self, offset: int, limit: int) -> None:
        rows = list(
            self._people.values_list("pk", "total", "hidden_total")[offset:offset + limit]
        )
        if rows:
            self._total, self._hidden = rows[0][1], int(rows[0][2] or 0)
        elif self._total is None:  # a page past the last: count them
            counted = self._base.order_by().aggregate(total=Count("pk"), hidden_count=Sum("hidden"))
            self._total, self._hidden = counted["total"], int(counted["hidden_count"] or 0)
        self._rows.update((offset + i, row[0]) for i, row in enumerate(rows))

    def __len__(self) -> int:
        if self._total is None:
            self._read(self._page_at, self._per_page)
        assert self._total is not None
        return self._total - self._hidden

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, int):
            return self[index:index + 1][0]
        start, stop, _step = index.indices(len(self))
        if any(i not in self._rows for i in range(start, stop)):
            self._read(start, stop - start)
        return [self._rows[i] for i in range(start, stop) if i in self._rows]

    @property
    def restricted(self) -> list[str]:
        """Tarian IDs of restricted records that match but that the user may not see now."""
        len(self)
        if not self._hidden:
            return []
        return sorted(
            self._base.filter(hidden=1).values_list("ref", flat=True)
        )[:RESTRICTED_SHOWN]


def _dated(people: QuerySet[Person], query: SearchQuery) -> QuerySet[Person]:
    """People born when the query says, as nearly as a database condition can tell the
    matcher's levels: within a month of a date of birth (or with its day and month swapped),
    or within a year of a year of birth."""
    born = query.date_of_birth
    if born is not None:
        near = Q(date_of_birth__range=(born - dt.timedelta(days=31), born + dt.timedelta(days=31)))
        if born.day <= 12:
            with contextlib.suppress(ValueError):
                near |= Q(date_of_birth=born.replace(month=born.day, day=born.month))
        return people.filter(near)
    if query.year is not None:
        return people.filter(
            date_of_birth__range=(dt.date(query.year - 1, 1, 1), dt.date(query.year + 1, 12, 31))
        )
    return people


