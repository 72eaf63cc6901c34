"""A meeting's minutes as a PDF (issue 21; SM2, SM4, SM5): the heading, who was invited and
what each agency answered, the decisions with their rationale, the dissents, the addenda and
the minutes in the reader's language where a translation exists. Draft minutes carry "Draft"
across every page. Built from the reader's ``MeetingRecord`` only, so it shows what the page
shows and nothing more; written in DejaVu Sans (``tarian.core.pdf``), which has every Welsh
letter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF, XPos, YPos

from tarian.core.pdf import FONT, add_fonts
from tarian.meetings.models import MinutesStatus
from tarian.meetings.selectors import MeetingRecord
from tarian.procedures.packs import current_pack

DASH = "\N{EN DASH}"


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else DASH


class _MinutesPdf(FPDF):
    draft_word = ""
    footer_words = ""

    def header(self) -> None:
        if not self.draft_word:
            return
        # Across the page, light, behind nothing important: a draft is never taken as final.
        self.set_font(FONT, "B", 90)
        self.set_text_color(225, 225, 225)
        with self.rotation(45, x=self.w / 2, y=self.h / 2):
            self.text(self.w / 2 - 55, self.h / 2 + 15, self.draft_word)
        self.set_text_color(0, 0, 0)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 6, f"{self.footer_words} {self.page_no()}/{{nb}}", align="C")

    def paragraph(self, text: str, *, size: float = 10, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text or DASH, align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.ln(size * 0.2)

    def section(self, heading: str, items: Sequence[str], empty: str) -> None:
        if self.will_page_break(25):
            self.add_page()
        self.paragraph(heading, size=13, bold=True)
        for item in items or [empty]:
            self.paragraph(item)
        self.ln(2)


def minutes_pdf(record: MeetingRecord, *, kind: str, language: str) -> bytes:
    """The PDF's bytes, in the active language (the reader's)."""
    meeting = record.meeting
    minutes = record.minutes
    is_draft = minutes is None or minutes.status != MinutesStatus.APPROVED
    pdf = _MinutesPdf(format="A4")
    pdf.draft_word = _("Draft") if is_draft else ""
    pdf.footer_words = _("Minutes of %(ref)s, page") % {"ref": meeting.reference}
    pdf.set_creation_date(minutes.modified_at if minutes else meeting.convened_at)
    pdf.set_title(f"{kind} {meeting.reference}")
    add_fonts(pdf)
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.paragraph(f"{kind} {meeting.reference}", size=18, bold=True)
    children = [f"{child.full_name} ({child.ref})" for child in record.children]
    if record.hidden_children:
        children.append(_("and %(count)s more whose records you cannot open") % {
            "count": record.hidden_children})
    pdf.paragraph(_("Children: %(names)s") % {"names": ", ".join(children) or DASH})
    chair = f"{meeting.chair}, {meeting.chair_role}"
    if meeting.chair_seniority:
        chair += f" ({meeting.chair_seniority})"
    pdf.paragraph(_("Chair: %(chair)s") % {"chair": chair})
    pdf.paragraph(_("Held: %(when)s") % {"when": _when(meeting.held_at)})
    if is_draft:
        pdf.paragraph(_("Draft minutes: not yet approved by the chair."), bold=True)
    elif minutes is not None:
        pdf.paragraph(_("Approved by %(who)s on %(when)s") % {
            "who": minutes.approved_by, "when": _when(minutes.approved_at)})
    pdf.ln(3)
    pdf.section(
        _("Attendees and invitations"),
        [f"{i.agency.display_name(language)}: {i.get_status_display()}"
         + (f" {DASH} {i.status_reason}" if i.status_reason else "")
         for i in record.invitations],
        _("No agency was invited."),
    )
    pdf.section(_("Risk analysis"), [meeting.risk_analysis] if meeting.risk_analysis else [],
                _("No risk analysis recorded."))
    pack = current_pack()
    decisions = []
    for decision in record.decisions:
        try:
            label = pack.label(decision.list_name, decision.code, language)
        except KeyError:
            label = decision.code
        child = f" ({decision.child.full_name})" if decision.child in record.children else ""
        decisions.append(_("%(decision)s%(child)s. Rationale: %(rationale)s (%(who)s, "
                           "%(when)s)") % {
            "decision": label, "child": child, "rationale": decision.rationale,
            "who": decision.recorded_by, "when": _when(decision.recorded_at)})
    pdf.section(_("Decisions"), decisions, _("No decisions recorded."))
    pdf.section(
        _("Dissents"),
        [_("%(agency)s (%(person)s) disagrees%(what)s: %(reason)s") % {
            "agency": d.agency.display_name(language), "person": d.person,
            "what": f" {DASH} {d.what}" if d.what else "", "reason": d.reason}
         for d in record.dissents],
        _("No agency disagreed."),
    )
    pdf.section(
        _("Addenda"),
        [f"{a.agreed_on:%d/%m/%Y}: {a.text}" + (f" ({a.agreed_with})" if a.agreed_with else "")
         for a in record.addenda],
        _("No addenda."),
    )
    # Draft minutes are read by those who write them; the others read them once approved.
    text = minutes.text_for(language)[0] if minutes and (
        not is_draft or record.may_manage) else ""
    pdf.section(_("Minutes"), [text] if text.strip() else [], _("No minutes written yet."))
    return bytes(pdf.output())
