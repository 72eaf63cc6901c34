"""A conference's clocks in the "due and overdue" list: each agency's written report and the
outline plan (CP1). The conference's own clock to be held is its meeting's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.deadlines.subjects import Subject, register_subject


def _keys(ids: list[str]) -> list[int]:
    return [int(key) for key in ids if str(key).isdigit()]


def _describe_plans(user: User, ids: list[str]) -> dict[str, Subject]:
    from tarian.conferences.selectors import conferences_for

    return {
        str(conference.pk): Subject(
            text=_("Conference %(ref)s: circulate the outline plan") % {
                "ref": conference.reference},
            link=f"/meetings/{conference.pk}",
        )
        for conference in conferences_for(user).filter(pk__in=_keys(ids)).only("pk")
    }


def _describe_reports(user: User, ids: list[str]) -> dict[str, Subject]:
    from tarian.conferences.models import ReportRequest
    from tarian.conferences.selectors import conferences_for

    rows = ReportRequest.objects.filter(
        pk__in=_keys(ids), conference__in=conferences_for(user)
    ).only("pk", "conference_id")
    return {
        str(row.pk): Subject(
            text=_("Conference C%(ref)06d: written report") % {"ref": row.conference_id},
            link=f"/conferences/{row.conference_id}/reports",
        )
        for row in rows
    }


def register() -> None:
    register_subject("conference", label=lambda: _("Child protection conference"),
                     describe=_describe_plans)
    register_subject("conference_report", label=lambda: _("Report to a conference"),
                     describe=_describe_reports)
