"""Which agencies are involved with each synthetic person, and since when (SM1 groundwork).

Every child of school age is at a school (primary to Year 6, secondary after, with the primary
school ended), under-fives have a health visitor, some three-year-olds go to nursery, and every
child and adult is registered with a GP. A few have CAMHS, paediatrics, police, youth justice
or children's services involved, some of them ended with a reason; some adults have probation
or housing. Unborn babies and their mothers have a midwife.
"""

from __future__ import annotations

import datetime as dt

from tarian.people.models import InvolvementRole, Sex
from tarian.seed import agencies as A
from tarian.seed.agencies import AgencySpec, AreaLayout
from tarian.seed.backgrounds import NORTH
from tarian.seed.plan import (
    Draft,
    Identifiers,
    InvolvementPlan,
    Picker,
    age_in_years,
    school_entry_year,
    school_year_age,
    weekday_on_or_after,
    weekday_on_or_before,
    years_before,
)

# fmt: off
SOCIAL_WORKERS = ("Sioned Pugh", "Mark Ellis", "Rachel Thornton", "Gwion Parry", "Hannah Bolton",
                  "Iwan Rees", "Laura Whitfield", "Carys Mathias", "Tom Ashworth", "Ffion Roberts")
HEALTH_VISITORS = {NORTH: ("Menna Wyn", "Eirlys Hughes", "Beca Lloyd", "Nerys Jones"),
                   "south": ("Claire Dobson", "Jo Pennington", "Sarah Birch", "Amy Hale")}
CAMHS_WORKERS = ("Dr Aled Humphreys", "Kate Morrow", "Nadia Rashid", "Huw Gwynne")
YOUTH_JUSTICE_WORKERS = ("Dyfed Owen", "Lisa Kerr", "Jamie Lord")
PROBATION_OFFICERS = ("Paul Quinn", "Angharad Lewis", "Steve Marsh")
MIDWIVES = ("Gwawr Ellis", "Fiona Marsh", "Bethan Pryce")

ENDINGS: dict[str, tuple[str, ...]] = {
    InvolvementRole.SOCIAL_WORKER: ("Case closed: no further action", "Stepped down to early help",
                                    "Case closed: plan completed"),
    InvolvementRole.EARLY_HELP: ("Family support completed", "Family chose not to continue"),
    InvolvementRole.POLICE: ("No further police action", "Investigation concluded"),
    InvolvementRole.CAMHS: ("Discharged from CAMHS", "Transferred to adult mental health services"),
    InvolvementRole.YOUTH_JUSTICE: ("Order completed", "Referral order completed"),
    InvolvementRole.PROBATION: ("Licence ended", "Community order completed"),
    InvolvementRole.HOUSING: ("Tenancy sustained", "Rehoused"),
    InvolvementRole.PAEDIATRICS: ("Discharged to GP care",),
}
# fmt: on


class InvolvementPlanner:
    def __init__(
        self,
        *,
        pick: Picker,
        ids: Identifiers,
        today: dt.date,
        layout: AreaLayout,
        professionals: dict[tuple[str, str], list[int]],
    ) -> None:
        self.pick = pick
        self.ids = ids
        self.today = today
        self.layout = layout
        self.professionals = professionals
        by_slug = {s.slug: s for s in layout.specs}
        self.featured_school = by_slug[A.FEATURED_SCHOOL]
        self.featured_gp = by_slug[A.FEATURED_GP]
        secondaries = [s for group in layout.secondaries.values() for s in group]
        self.welsh_secondaries = tuple(dict.fromkeys(s for s in secondaries if s.welsh_medium))
        self.catholic_secondaries = tuple(dict.fromkeys(s for s in secondaries if s.catholic))

    def _professional(
        self, agency: str, team: str, names: tuple[str, ...]
    ) -> tuple[int | None, str]:
        """A practitioner already on Tarian in that team, else an invented name (or nobody)."""
        users = self.professionals.get((agency, team))
        if users:
            return self.pick.item(users), ""
        return None, self.pick.item(names) if names else ""

    def _add(
        self,
        d: Draft,
        person: int,
        agency: str,
        role: str,
        start: dt.date,
        *,
        team: str = "",
        names: tuple[str, ...] = (),
        ended: float = 0.0,
        end: dt.date | None = None,
        end_reason: str = "",
        professional: tuple[int | None, str] | None = None,
    ) -> None:
        pick, today = self.pick, self.today
        start = min(start, today)
        if end is None and ended and pick.chance(ended):
            end = pick.days_between(start + dt.timedelta(days=30), today)
            end_reason = pick.item(ENDINGS[role])
        if end is not None:
            end = max(start, min(end, today))
        professional_id, professional_name = professional or self._professional(agency, team, names)
        d.chunk.involvements.append(
            InvolvementPlan(
                person,
                agency,
                role,
                start,
                team,
                end,
                end_reason if end else "",
                professional_id,
                professional_name,
            )
        )

    def _family_case(
        self,
        d: Draft,
        agency: str,
        role: str,
        *,
        team: str,
        names: tuple[str, ...] = (),
        ended: float,
        born_only: bool = False,
    ) -> None:
        """One piece of work with a family: the same team, worker and dates for each child.

        A child born (or due) after the work ended was never part of it.
        """
        pick, today = self.pick, self.today
        family = d.children if born_only else [*d.children, *d.unborn]
        if not family:
            return
        opened = self._recently(min(min(d.born(c) for c in family), today), 2.5)
        closed, reason = None, ""
        if ended and pick.chance(ended):
            closed = pick.days_between(opened + dt.timedelta(days=30), today)
            reason = pick.item(ENDINGS[role])
        worker = self._professional(agency, team, names)
        for child in family:
            person = d.person(child)
            # Work before a birth starts with the pregnancy (a pre-birth assessment).
            joined = person.date_of_birth or years_before(d.born(child), 0.6)
            start = min(max(opened, joined), today)
            if closed is not None and closed < start:
                continue
            self._add(
                d,
                child,
                agency,
                role,
                start,
                team=team,
                end=closed,
                end_reason=reason,
                professional=worker,
            )

    def _recently(self, earliest: dt.date, years: float) -> dt.date:
        """A start date within the last ``years`` years, not before ``earliest``."""
        today = self.today
        start = max(earliest, years_before(today, years))
        return self.pick.days_between(start, today - dt.timedelta(days=7))

    def _school(
        self,
        options: tuple[AgencySpec, ...],
        d: Draft,
        welsh: tuple[AgencySpec, ...],
        catholic: tuple[AgencySpec, ...],
    ) -> AgencySpec:
        pick = self.pick
        welsh_speaking = d.child_language == "cy" or d.background.code == "welsh"
        local_welsh = tuple(s for s in options if s.welsh_medium)
        if welsh_speaking and (local_welsh or welsh):
            return pick.item(local_welsh or welsh)
        local_catholic = tuple(s for s in options if s.catholic) or catholic
        churchgoing = 0.5 if d.background.code in ("polish", "portuguese") else 0.04
        if local_catholic and pick.chance(churchgoing):
            return pick.item(local_catholic)
        return pick.item(options)

    def plan(self, d: Draft) -> None:
        """Involvements for everyone in a planned household."""
        pick, layout, town = self.pick, self.layout, d.town.name
        gp = self.featured_gp if d.featured else pick.item(layout.gp_practices[town])
        primary = (
            self.featured_school if d.featured else self._school(layout.primaries[town], d, (), ())
        )
        secondary = self._school(
            layout.secondaries[town], d, self.welsh_secondaries, self.catholic_secondaries
        )
        nursery = pick.item(layout.nurseries[town])
        for child in d.children:
            self._child(d, child, gp, primary, secondary, nursery)
        if d.featured or pick.chance(0.06):
            team = (
                "Child Protection"
                if pick.chance(0.3)
                else ("Assessment North" if d.region == NORTH else "Assessment South")
            )
            self._family_case(
                d,
                A.CHILDRENS_SERVICES,
                InvolvementRole.SOCIAL_WORKER,
                team=team,
                names=SOCIAL_WORKERS,
                ended=0 if d.featured else 0.3,
            )
        elif pick.chance(0.03):
            self._family_case(
                d, A.CHILDRENS_SERVICES, InvolvementRole.EARLY_HELP, team="Early Help", ended=0.4
            )
        if d.featured or pick.chance(0.025):
            self._family_case(
                d,
                A.POLICE,
                InvolvementRole.POLICE,
                team=A.POLICE_TEAM,
                ended=1.0 if d.featured else 0.5,
                born_only=True,
            )
        for baby in d.unborn:
            expected = d.born(baby)
            booked = min(
                years_before(expected, pick.rng.uniform(0.55, 0.65)),
                self.today - dt.timedelta(days=3),
            )
            for person in (baby, d.mother):
                if person is not None:
                    self._add(
                        d,
                        person,
                        A.HEALTH,
                        InvolvementRole.MIDWIFE,
                        booked,
                        team="Midwifery",
                        names=MIDWIVES,
                    )
        for adult in [*d.residents, *d.absent]:
            self._adult(d, adult, gp if adult in d.residents else None)
        if d.residents and pick.chance(0.05):
            lead = d.residents[0]
            self._add(
                d,
                lead,
                A.HOUSING,
                InvolvementRole.HOUSING,
                self._recently(d.since.get(lead, self.today), 4),
                ended=0.4,
            )

    def _child(
        self,
        d: Draft,
        child: int,
        gp: AgencySpec,
        primary: AgencySpec,
        secondary: AgencySpec,
        nursery: AgencySpec,
    ) -> None:
        pick, today = self.pick, self.today
        person = d.person(child)
        born = d.born(child)
        arrived = d.entered.get(child, born)
        age = age_in_years(born, today)
        self._add(
            d,
            child,
            gp.slug,
            InvolvementRole.GP,
            max(
                arrived,
                pick.days_between(born + dt.timedelta(days=10), born + dt.timedelta(days=42)),
            ),
        )
        if age < 5:
            self._add(
                d,
                child,
                A.HEALTH,
                InvolvementRole.HEALTH_VISITOR,
                max(arrived, born + dt.timedelta(days=pick.rng.randint(10, 14))),
                team="Health Visiting",
                names=HEALTH_VISITORS[d.region],
            )
        year_age = school_year_age(born, today)
        entry = school_entry_year(born)
        if year_age == 3 and pick.chance(0.6):
            start = max(dt.date(entry - 1, 9, 1), years_before(born, -3.0), arrived)
            self._add(d, child, nursery.slug, InvolvementRole.NURSERY, weekday_on_or_after(start))
        if 4 <= year_age <= 10:
            start = weekday_on_or_after(max(dt.date(entry, 9, 1), arrived))
            self._add(d, child, primary.slug, InvolvementRole.SCHOOL, start)
            person.upn = self.ids.upn(primary.estab, start.year)
        elif year_age >= 11 and (year_age <= 15 or pick.chance(0.55)):
            primary_start = weekday_on_or_after(max(dt.date(entry, 9, 1), arrived))
            secondary_start = weekday_on_or_after(max(dt.date(entry + 7, 9, 1), arrived))
            if primary_start < secondary_start:
                self._add(
                    d,
                    child,
                    primary.slug,
                    InvolvementRole.SCHOOL,
                    primary_start,
                    end=weekday_on_or_before(dt.date(entry + 7, 7, 20)),
                    end_reason="Moved on to secondary school",
                )
                person.upn = self.ids.upn(primary.estab, primary_start.year)
            else:
                person.upn = self.ids.upn(secondary.estab, secondary_start.year)
            self._add(d, child, secondary.slug, InvolvementRole.SCHOOL, secondary_start)
        if age >= 5 and (
            (d.featured and child == d.children[0]) or pick.chance(0.09 if age >= 12 else 0.03)
        ):
            self._add(
                d,
                child,
                A.HEALTH,
                InvolvementRole.CAMHS,
                self._recently(years_before(born, -5.0), 3),
                team="CAMHS",
                names=CAMHS_WORKERS,
                ended=0 if d.featured else 0.35,
            )
        if pick.chance(0.02):
            self._add(
                d,
                child,
                A.HEALTH,
                InvolvementRole.PAEDIATRICS,
                self._recently(born, 4),
                team="Paediatrics",
                ended=0.4,
            )
        if age >= 10 and pick.chance(0.03 if age >= 14 else 0.008):
            self._add(
                d,
                child,
                A.YOUTH_JUSTICE,
                InvolvementRole.YOUTH_JUSTICE,
                self._recently(years_before(born, -10.0), 2),
                names=YOUTH_JUSTICE_WORKERS,
                ended=0.4,
            )
        if age >= 12 and pick.chance(0.012):
            self._add(
                d,
                child,
                A.POLICE,
                InvolvementRole.POLICE,
                self._recently(years_before(born, -10.0), 2),
                team=A.POLICE_TEAM,
                ended=0.5,
            )

    def _adult(self, d: Draft, adult: int, gp: AgencySpec | None) -> None:
        pick, today = self.pick, self.today
        person = d.person(adult)
        born = d.born(adult)
        if gp is None:
            gp = pick.item(self.layout.gp_practices[d.town.name])
        since = d.since.get(adult, today)
        registered = pick.days_between(
            max(years_before(born, -16.0), years_before(since, 10)), since
        )
        self._add(d, adult, gp.slug, InvolvementRole.GP, registered)
        if pick.chance(0.03 if person.sex == Sex.MALE else 0.006):
            self._add(
                d,
                adult,
                A.PROBATION,
                InvolvementRole.PROBATION,
                self._recently(years_before(born, -18.0), 3),
                names=PROBATION_OFFICERS,
                ended=0.4,
            )
