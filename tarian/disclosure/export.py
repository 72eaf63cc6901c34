"""Subject access export: what Tarian holds about one person, and who has viewed it (IS4, PC2).

Issue "security and reliability baseline", item 7. A permitted role (by default team managers
of children's services: ``export`` on ``person`` in the sharing rules) produces one ZIP for one
person: ``README.txt``, ``record.json``, ``who-has-viewed.csv`` and ``summary.pdf``. Other
people are withheld: relatives and household members, the professionals who worked with the
person, changed their record, added documents or viewed it (their agency is kept), and anyone
holding the whistle-blowing officer role, whose agency is withheld too (PC2). The output is the
same bytes for the same data and ``now``, so that it can be tested and checked.

What is held is assembled from a section per app (issue 18, item 7): each app's
``disclosure.py`` declares what it holds about a person (``tarian.core.disclosure``), and
``tarian.disclosure.sections`` finds them. This module is the export itself: the check that the
user may export the record, the README, the JSON, the CSV of who has viewed it and the PDF.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import textwrap
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from fpdf import FPDF, FontFace, XPos, YPos

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, RoleCode, Scope, User
from tarian.audit.models import AccessAction, AccessEvent, Channel
from tarian.audit.services import record_access
from tarian.core.disclosure import WITHHELD_AGENCY, Disclosure, choice_label, iso_moment
from tarian.core.pdf import FONT, add_fonts
from tarian.disclosure.sections import sections
from tarian.errors import Forbidden
from tarian.people.models import Person
from tarian.people.selectors import people_for, person_for

FORMAT = "tarian-subject-access/1"


@dataclass(frozen=True)
class SubjectAccessExport:
    filename: str
    content: bytes


def person_for_export(user: User, ref: str) -> Person:
    """The person this user may export (a check only: nothing is audited).

    ``NotFound`` if the user may not see the record at all, ``Restricted`` if it is restricted
    to other people, ``Forbidden`` if they may see it but their role may not export it.
    """
    person = person_for(user, ref)
    scope = scope_for(user, RecordKind.PERSON, Action.EXPORT)
    if scope == Scope.ALL:
        return person
    if scope == Scope.INVOLVED and people_for(user, Action.EXPORT).filter(pk=person.pk).exists():
        return person
    raise Forbidden(ref)


def subject_access_page(user: User, ref: str) -> Person:
    """The person whose export the page offers (it shows their name): ``person_for_export``,
    and the page's showing audited (IS4)."""
    person = person_for_export(user, ref)
    record_access(user, action=AccessAction.VIEW, record_kind=RecordKind.PERSON,
                  record_id=person.ref, person_id=person.pk,
                  detail={"page": "subject_access"})
    return person


def export_subject_access(
    user: User, *, ref: str, now: dt.datetime | None = None
) -> SubjectAccessExport:
    """Everything held about one person and who has viewed it, as a ZIP; one audited event."""
    moment = now or timezone.now()
    person = person_for_export(user, ref)
    with transaction.atomic(), translation.override("en"):
        # The permission check is done: from here the export reads the models directly rather
        # than through ``view_person``, ``access_log`` and ``record_history``, each of which
        # audits its read. The export is one act by one person and is logged once, below;
        # going through the selectors would write several more events that look like separate
        # viewings in the very log being exported.
        record, viewed = _gather(person, moment)
        about = _about(user, person, moment)
        files = {
            "README.txt": _readme(about).encode(),
            "record.json": (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode(),
            "summary.pdf": _pdf(record, viewed, about, moment),
            "who-has-viewed.csv": _csv(viewed).encode(),
        }
        record_access(user, action=AccessAction.EXPORT, record_kind=RecordKind.PERSON,
                      record_id=person.ref, person_id=person.pk,
                      detail={"export": "subject_access", "files": sorted(files)})
    return SubjectAccessExport(export_filename(person.ref, moment), _zip(files, moment))


def export_filename(ref: str, now: dt.datetime) -> str:
    return f"subject-access-{ref}-{timezone.localtime(now):%Y%m%d-%H%M}.zip"


def _gather(person: Person, now: dt.datetime) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The record as plain data with other people withheld, and the rows of who has viewed it.

    Every section contributes its part; events and versions after ``now`` are left out, so
    that an export is a picture of one moment (and this export's own audit event is not in
    it)."""
    officers = User.objects.filter(roles__code=RoleCode.WHISTLEBLOWING_OFFICER)
    disclosure = Disclosure(person, now, frozenset(officers.values_list("pk", flat=True)))
    record: dict[str, Any] = {"export": {"format": FORMAT, "covers_up_to": iso_moment(now)}}
    for section in sections():
        record[section.key] = section.gather(disclosure)
    events = AccessEvent.objects.filter(person_id=person.pk, at__lte=now).order_by("at", "id")
    viewed = [
        {"when": iso_moment(e.at) or "", "agency": disclosure.agency(e.user_id, e.agency_name),
         "action": choice_label(AccessAction, e.action),
         "record": choice_label(RecordKind, e.record_kind),
         "channel": choice_label(Channel, e.channel)}
        for e in events
    ]
    return record, viewed


def _about(user: User, person: Person, now: dt.datetime) -> list[tuple[str, list[str]]]:
    """The README's sections (also the first page of the PDF); "- " starts a bullet point."""
    local = timezone.localtime(now)
    job = f", {user.job_title}" if user.job_title else ""
    officer = f"{user.get_full_name() or user.username}{job}"
    agency = user.agency.name if user.agency else "no agency"
    every = sections()
    return [
        ("What this is", [
            "This is a copy of the information that Tarian, the multi-agency child protection "
            f"system for {settings.TARIAN_AREA_NAME}, holds about one person (Tarian ID "
            f"{person.ref}), and a list of each time their record was opened, found, changed "
            "or exported, and by which organisation. It is for answering a subject access "
            "request (UK GDPR Article 15) and for telling a person who has looked at their "
            "record.",
            f"Produced on {local:%d %B %Y at %H:%M} by {officer}, {agency}, on behalf of the "
            "data controller. It shows the record as it stood at that moment. Producing it was "
            "itself recorded in the record's log.",
        ]),
        ("Files", [
            "- summary.pdf: all of it, to read or print.",
            "- record.json: the same, for computers.",
            "- who-has-viewed.csv: each time the record was viewed, listed, searched, changed "
            "or exported: when, which organisation, what was done and how.",
            "- README.txt: this explanation.",
        ]),
        ("What was withheld, and why", [
            "Information about other people is withheld, because the law protects it too (Data "
            "Protection Act 2018, Schedule 2, Part 3).",
            "- Staff: the names of the professionals working with the person, of staff who "
            "changed the record or added documents, and of staff who viewed it are withheld. "
            "Their organisation is shown instead, so that the person can see which "
            "organisations looked at their record and can ask each of them why.",
            "- Whistle-blowing: where the member of staff holds the whistle-blowing officer "
            f'role, their organisation is shown as "{WITHHELD_AGENCY}" as well, so that nobody '
            "who raised a concern in confidence can be identified from this export.",
            *[line for section in every for line in section.withheld],
        ]),
        ("Before release", [line for section in every for line in section.before_release]),
    ]


def _readme(about: list[tuple[str, list[str]]]) -> str:
    title = "Subject access export from Tarian"
    lines = [title, "=" * len(title)]
    for heading, paragraphs in about:
        lines += ["", heading, "-" * len(heading)]
        for paragraph in paragraphs:
            indent = "  " if paragraph.startswith("- ") else ""
            lines.append(textwrap.fill(paragraph, width=78, subsequent_indent=indent))
    return "\n".join(lines) + "\n"


def _csv(viewed: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["when", "agency", "action", "record", "channel"])
    writer.writeheader()
    writer.writerows(viewed)
    return out.getvalue()


def _zip(files: dict[str, bytes], now: dt.datetime) -> bytes:
    local = timezone.localtime(now)
    stamp = (max(local.year, 1980), local.month, local.day, local.hour, local.minute, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


VIEWED_COLUMNS = (("When", 2.0), ("Agency", 3.0), ("What", 2.5), ("Record", 2.0), ("How", 1.2))
DASH = "\N{EN DASH}"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
FIELD_LABELS = {"tarian_id": "Tarian ID", "nhs_number": "NHS number", "upn": "UPN"}


class _SummaryPdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 6, f"Tarian subject access export, page {self.page_no()} of {{nb}}",
                  align="C")

    def paragraph(self, text: str, *, size: float = 9, bold: bool = False,
                  indent: float = 0) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(size * 0.2)


def _text(value: Any) -> str:
    """A value from ``record.json`` as a reader would want it in the PDF."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or DASH
    if isinstance(value, dict):
        pairs = (f"{k.replace('_', ' ')}: {_text(v)}" for k, v in value.items())
        return "; ".join(pairs) or DASH
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        day = dt.date.fromisoformat(value)
        return f"{day.day} {day:%b %Y}"
    if isinstance(value, str) and ISO_MOMENT.fullmatch(value):
        moment = dt.datetime.fromisoformat(value)
        return f"{moment.day} {moment:%b %Y %H:%M}"
    return str(value)


def _pdf(record: dict[str, Any], viewed: list[dict[str, str]],
         about: list[tuple[str, list[str]]], now: dt.datetime) -> bytes:
    pdf = _SummaryPdf(format="A4")
    pdf.set_creation_date(now)  # with the same data, the same bytes
    pdf.set_title("Subject access export")
    add_fonts(pdf)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    who = record["person"]
    pdf.paragraph("Subject access export", size=18, bold=True)
    pdf.paragraph(f"{who['given_name']} {who['family_name']} ({who['tarian_id']})", size=12)
    for heading, paragraphs in about:
        pdf.paragraph(heading, size=11, bold=True)
        for text in paragraphs:
            bullet = text.startswith("- ")
            pdf.paragraph(f"\N{BULLET} {text[2:]}" if bullet else text, indent=4 * bullet)
    pdf.add_page()
    for table in [table for section in sections() for table in section.tables]:
        found: Any = _at(record, table.path)
        if table.fields:
            rows = [[FIELD_LABELS.get(k, k.replace("_", " ").capitalize()), _text(v)]
                    for k, v in found.items()]
        else:
            rows = [[_text(item.get(key)) for _title, _width, key in table.columns]
                    for item in found]
        _table(pdf, table.heading, [(title, width) for title, width, _key in table.columns],
               rows)
        if table.note:
            pdf.paragraph(str(_at(record, table.note)), size=8)
    _table(pdf, "Who has viewed this record", VIEWED_COLUMNS,
           [[_text(v) for v in event.values()] for event in viewed])
    return bytes(pdf.output())


def _at(record: dict[str, Any], path: tuple[str, ...]) -> Any:
    found: Any = record
    for key in path:
        found = found[key]
    return found


def _table(pdf: _SummaryPdf, heading: str, columns: Sequence[tuple[str, float]],
           rows: Sequence[Sequence[str]]) -> None:
    if pdf.will_page_break(30):  # keep a heading with the first rows of its table
        pdf.add_page()
    pdf.paragraph(heading, size=13, bold=True)
    if not rows:
        pdf.paragraph("None recorded.")
        return
    pdf.set_font(FONT, size=8)
    with pdf.table(col_widths=tuple(width for _, width in columns), line_height=4.5,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(243, 242, 241)),
                   text_align="LEFT", padding=1) as table:
        for values in [[title for title, _ in columns], *rows]:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(5)
