"""The subject access export page: what it contains, and a button that produces it (IS4, PC2).

Issue "security and reliability baseline", item 7. GET explains what the ZIP holds and what is
withheld; POST produces it (one audited export) and returns it as a download. A user who may
not export this person's record gets the same 404 as for a record that does not exist.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tarian.agencies.access import can
from tarian.agencies.models import Action, RecordKind
from tarian.disclosure import export as exports
from tarian.web.refusals import user_of


def _download(export: exports.SubjectAccessExport) -> HttpResponse:
    response = HttpResponse(export.content, content_type="application/zip")
    # The file name is the Tarian ID and a time stamp: plain ASCII, no quoting needed.
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    if request.method == "POST":
        return _download(exports.export_subject_access(user, ref=ref))
    person = exports.subject_access_page(user, ref)
    return render(
        request,
        "disclosure/subject_access.html",
        {
            "person": person,
            "tab": "subject_access",
            # The person is visible to the user here, so a role that reads these at all
            # reads them for this person: the same answer as the record page's tabs.
            "record": {
                "may_see_access_log": can(user, RecordKind.ACCESS_LOG, Action.READ),
                "may_see_history": can(user, RecordKind.RECORD_HISTORY, Action.READ),
            },
        },
    )
