"""CSV import pages: upload, map the columns, watch the progress, download the rejected rows.

Insights staff (and admins) only. Imports are team work: any insights staff member
may open any import. Stored files are never served from MEDIA_URL; the rejected
rows are downloaded through the guarded view below.
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.confirm import confirmation
from core.forms import form_add_service_errors
from insights.forms import MappingForm, UploadForm
from insights.models import MentionImport
from insights.selectors.mentions import import_row_prefix
from insights.services.csv_import import (
    ENCODING_NAMES,
    UTF8,
    import_cancel,
    import_preview,
    import_start,
    import_upload,
)
from insights.views import staff_only

RECENT_IMPORTS = 50
PREVIEW_ROWS = 5
ACTIVE = (MentionImport.Status.QUEUED, MentionImport.Status.RUNNING)
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


def _progress(upload: MentionImport) -> dict:
    if upload.status == MentionImport.Status.DONE:
        percent = 100
    else:
        percent = min(100, upload.rows_done * 100 // upload.rows_total) if upload.rows_total else 0
    # exact: its mentions can be listed exactly (the rows were known by their number).
    exact = import_row_prefix(upload) is not None
    return {"upload": upload, "percent": percent, "active": upload.status in ACTIVE, "exact": exact}


@staff_only
@require_http_methods(["GET", "POST"])
def imports(request):
    """Insights staff: upload a CSV of mentions, and see the imports made so far."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = import_upload(file=form.cleaned_data["file"], user=request.user)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            return redirect("insights:import_map", pk=upload.pk)
    recent = MentionImport.objects.select_related("uploaded_by")[:RECENT_IMPORTS]
    return render(request, "insights/imports/list.html", {"form": form, "imports": recent})


@staff_only
@require_http_methods(["GET", "POST"])
def import_map(request, pk: int):
    """Insights staff: preview the first rows and map the columns; POST starts the import."""
    upload = get_object_or_404(MentionImport, pk=pk)
    if request.method == "GET" and upload.status != MentionImport.Status.MAPPING:
        return redirect("insights:import_detail", pk=upload.pk)
    if upload.status == MentionImport.Status.CANCELLED:  # a form sent from a tab opened before the cancel
        messages.error(request, "This upload was cancelled: upload the file again to import it.")
        return redirect("insights:import_detail", pk=upload.pk)
    # A POST always reaches import_start(), which says so when the import has already started (a form sent
    # twice, from two tabs or by a double click): the message shows on the form.
    headers, rows = import_preview(upload=upload, rows=PREVIEW_ROWS)
    form = MappingForm(request.POST or None, headers=headers)
    if request.method == "POST" and form.is_valid():
        try:
            import_start(upload=upload, mapping=form.mapping())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Importing {upload.rows_total:,} rows of “{upload.original_name}”.")
            return redirect("insights:import_detail", pk=upload.pk)
    context = {
        "upload": upload,
        "headers": headers,
        "rows": rows,
        "form": form,
        "encoding_name": ENCODING_NAMES.get(upload.encoding, upload.encoding),
        "delimiter_name": DELIMITER_NAMES.get(upload.delimiter, upload.delimiter),
        "not_utf8": upload.encoding != UTF8,
        "time_zone": settings.TIME_ZONE,
    }
    return render(request, "insights/imports/map.html", context)


@staff_only
@require_GET
def import_detail(request, pk: int):
    """Insights staff: an import's progress bar and counts, refreshed live, and its rejected rows."""
    upload = get_object_or_404(MentionImport.objects.select_related("uploaded_by"), pk=pk)
    return render(request, "insights/imports/detail.html", _progress(upload))


@staff_only
@require_GET
def import_progress(request, pk: int):
    """Insights staff: the progress fragment that the detail page polls (it stops once finished)."""
    upload = get_object_or_404(MentionImport, pk=pk)
    return render(request, "insights/imports/_progress.html", _progress(upload))


@staff_only
@require_GET
def import_rejected(request, pk: int):
    """Insights staff: download the rejected rows, each with its row number and reason."""
    upload = get_object_or_404(MentionImport, pk=pk)
    if not upload.rejected_file:
        raise Http404("This import has no rejected rows.")
    filename = f"{Path(upload.original_name).stem or 'import'}-rejected.csv"
    return FileResponse(
        upload.rejected_file.open("rb"), as_attachment=True, filename=filename, content_type="text/csv; charset=utf-8"
    )


@staff_only
@require_POST
def import_cancel_view(request, pk: int):
    """Insights staff: cancel an upload that was never started, after confirming (its stored file is deleted)."""
    upload = get_object_or_404(MentionImport, pk=pk)
    if ask := confirmation(
        request,
        question=f"Cancel the upload of “{upload.original_name}”?",
        consequence="Nothing is imported and the stored file is deleted; to import it later, upload it again.",
        button="Cancel the upload",
        cancel_url=reverse("insights:imports"),
    ):
        return ask
    try:
        import_cancel(upload=upload, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("insights:import_detail", pk=upload.pk)
    messages.success(request, f"The upload of “{upload.original_name}” is cancelled and its file deleted.")
    return redirect("insights:imports")


urlpatterns = [
    path("imports/", imports, name="imports"),
    path("imports/<int:pk>/map/", import_map, name="import_map"),
    path("imports/<int:pk>/", import_detail, name="import_detail"),
    path("imports/<int:pk>/cancel/", import_cancel_view, name="import_cancel"),
    path("imports/<int:pk>/progress/", import_progress, name="import_progress"),
    path("imports/<int:pk>/rejected.csv", import_rejected, name="import_rejected"),
]
