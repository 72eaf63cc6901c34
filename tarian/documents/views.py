"""Documents on a person's page: upload (checked kind and size) and download (checked access)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tarian.agencies.models import Action
from tarian.documents import services
from tarian.errors import Refused, Restricted
from tarian.people import selectors
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of


class UploadForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=200,
        help_text=gettext_lazy("For example: School report for the conference, March 2026"),
        error_messages={"required": gettext_lazy("Enter a title")},
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, Word, OpenDocument, PNG, JPEG or plain text"),
        error_messages={"required": gettext_lazy("Select a file")},
    )


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    try:
        if request.method == "GET":
            person = selectors.person_for_form(user, ref, form="upload")
        else:
            person = selectors.person_for(user, ref, Action.WRITE)
    except Restricted as exc:
        # Unlike the record's own pages, the form answers a restricted record with the same
        # 404 as a missing one; it does not offer to break the glass.
        raise Http404 from exc
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            services.upload_document(
                user, person_ref=ref, title=form.cleaned_data["title"],
                original_name=uploaded.name or "", stream=uploaded,
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, _("The document was added to the record."))
            return HttpResponseRedirect(reverse("web:person", args=[ref]))
    if request.method == "POST":
        selectors.audit_form(user, person, form="upload")  # shown again, with the errors
    return render(
        request,
        "documents/document_upload.html",
        {"person": person, "form": form, "tab": "record",
         "max_mb": services.settings.TARIAN_UPLOAD_MAX_MB},
    )


@require_GET
def download(request: HttpRequest, document_id: int) -> FileResponse:
    opened = services.open_document(user_of(request), document_id)
    document = opened.document
    response = FileResponse(
        opened.path.open("rb"),
        as_attachment=True,
        filename=f"{document.title[:80]}.{opened.path.suffix.lstrip('.')}",
        content_type=document.content_type,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
