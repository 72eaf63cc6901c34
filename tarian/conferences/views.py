"""Conference pages (CP1): the report requests with the reader's agency's report form, and the
chair's outcome form per child. The conference's own page is its meeting's page, on which
``meeting_panel.py`` shows the reports, the quorum, the children's voice and the outcomes.

Thin: each reads through ``selectors`` and acts through one service; a refusal is shown on the
field it names with what was typed kept (400); a conference the reader may not see is the
site's 404 page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tarian.conferences import selectors, services
from tarian.errors import Forbidden, Refused
from tarian.procedures.packs import current_pack
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of


class ReportForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Your agency's report"), required=False,
                           widget=forms.Textarea)
    document = forms.CharField(label=gettext_lazy("Or a document reference"), required=False,
                               max_length=120)
    shared_with_parents = forms.BooleanField(
        label=gettext_lazy("The report may be shared with the parents"), required=False)


class OutcomeForm(forms.Form):
    child = forms.CharField(label=gettext_lazy("Child"))
    register = forms.ChoiceField(
        label=gettext_lazy("Register the child?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))])
    category = forms.CharField(label=gettext_lazy("Category"), required=False)
    key_worker = forms.CharField(label=gettext_lazy("Key worker (username)"), required=False)
    rationale = forms.CharField(label=gettext_lazy("Rationale"), required=False,
                                widget=forms.Textarea)


@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest, pk: int) -> HttpResponse:
    """CP1: every agency's report request, its due time and status; the reader's agency sends
    its report here."""
    user = user_of(request)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_report(
                    user, conference_id=pk, text=form.cleaned_data["text"],
                    document=form.cleaned_data["document"],
                    shared_with_parents=form.cleaned_data["shared_with_parents"],
                )
            except Refused as refused:
                add_refusal(form, refused)
            else:
                messages.success(request, _("Your agency's report is sent to the conference."))
                return HttpResponseRedirect(f"/conferences/{pk}/reports")
        status = 400
    record = selectors.conference_record(user, pk)
    return render(request, "conferences/reports.html", {
        "record": record, "form": form,
        "rows": [(row, selectors.report_status(row, record.now)) for row in record.reports],
    }, status=status)


@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """CP1: the chair records each child's outcome."""
    user = user_of(request)
    record = selectors.conference_record(user, pk, audit=request.method == "GET")
    if not record.is_chair:
        raise Forbidden("conference:outcome")
    form = OutcomeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_outcome(
                    user, conference_id=pk, child=form.cleaned_data["child"],
                    register=form.cleaned_data["register"] == "yes",
                    category=form.cleaned_data["category"].strip(),
                    key_worker=form.cleaned_data["key_worker"],
                    rationale=form.cleaned_data["rationale"],
                )
            except Refused as refused:
                add_refusal(form, refused)
            else:
                messages.success(request, _("The child's outcome is recorded."))
                return HttpResponseRedirect(f"/meetings/{pk}")
        status = 400
    return render(request, "conferences/outcome.html", {
        "record": record, "form": form,
        "categories": current_pack().choices("abuse_categories", request.LANGUAGE_CODE),
    }, status=status)
