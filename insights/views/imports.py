"""CSV import pages: upload, map the columns, watch the progress, download the rejected rows.

Insights staff (and admins) only. Imports are team work: any insights staff member
may open any import. Stored files are never served from MEDIA_URL; the rejected
rows are downloaded through the guarded view below.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from accounts.roles import Role
from insights.csv_import import (
    BULK_FIELDS,
    ENCODING_NAMES,
    MAX_UPLOAD_BYTES,
    UTF8,
    import_guess_mapping,
    import_preview,
    import_start,
    import_upload,
)
from insights.models import Channel, MentionImport

RECENT_IMPORTS = 50
PREVIEW_ROWS = 5
ACTIVE = (MentionImport.Status.QUEUED, MentionImport.Status.RUNNING)
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        allow_empty_file=True,  # import_upload() says "The file is empty." itself
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=(
            f"A header row naming the columns, then one mention per row; up to {MAX_UPLOAD_BYTES >> 20} MB. "
            "UTF-8 is best (Excel: “CSV UTF-8”)."
        ),
    )


def _form_name(key: str) -> str:
    return "col_" + key.replace(".", "_")


class MappingForm(forms.Form):
    """One select per bulk field listing the file's columns, a fixed channel and the source."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        guesses = import_guess_mapping(headers=headers)
        columns = [("", "— not in the file —"), *[(h, h) for h in headers]]
        for bulk_field in BULK_FIELDS:
            self.fields[_form_name(bulk_field.key)] = forms.ChoiceField(
                label=bulk_field.label,
                choices=columns,
                required=bulk_field.required,
                initial=guesses.get(bulk_field.key, ""),
                error_messages={"required": f"Choose the column that holds the {bulk_field.label.lower()}."},
            )
        external_id = self.fields[_form_name("external_id")]
        external_id.help_text = "Without one, each row is known by its row number in this import."
        self.fields["channel"] = forms.ChoiceField(
            label="Channel for every row",
            required=False,
            choices=[("", "— from the channel column —")]
            + list(Channel.objects.filter(is_active=True).values_list("slug", "name")),
            help_text="Used for all rows when no channel column is chosen, and for rows whose channel cell is empty.",
        )
        self.fields["source"] = forms.CharField(
            label="Source",
            max_length=64,
            initial="csv",
            help_text="The system the file came from; with the external id it keeps a re-import from duplicating.",
        )

    def mapping(self) -> dict:
        data = self.cleaned_data
        return {
            "columns": {f.key: data[_form_name(f.key)] for f in BULK_FIELDS if data.get(_form_name(f.key))},
            "source": data["source"],
            "channel": data["channel"],
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        for key, errors in exc.message_dict.items():
            name = key if key in ("channel", "source") else _form_name(key)
            self.add_error(name if name in self.fields else None, errors)


def _progress(upload: MentionImport) -> dict:
    if upload.status == MentionImport.Status.DONE:
        percent = 100
    else:
        percent = min(100, upload.rows_done * 100 // upload.rows_total) if upload.rows_total else 0
    return {"upload": upload, "percent": percent, "active": upload.status in ACTIVE}


@role_required(Role.INSIGHTS_STAFF)
@require_http_methods(["GET", "POST"])
def imports(request):
    """Insights staff: upload a CSV of mentions, and see the imports made so far."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = import_upload(file=form.cleaned_data["file"], user=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("insights:import_map", pk=upload.pk)
    recent = MentionImport.objects.select_related("uploaded_by")[:RECENT_IMPORTS]
    return render(request, "insights/imports/list.html", {"form": form, "imports": recent})


@role_required(Role.INSIGHTS_STAFF)
@require_http_methods(["GET", "POST"])
def import_map(request, pk: int):
    """Insights staff: preview the first rows and map the columns; POST starts the import."""
    upload = get_object_or_404(MentionImport, pk=pk)
    if upload.status != MentionImport.Status.MAPPING:
        return redirect("insights:import_detail", pk=upload.pk)
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


@role_required(Role.INSIGHTS_STAFF)
@require_GET
def import_detail(request, pk: int):
    """Insights staff: an import's progress bar and counts, refreshed live, and its rejected rows."""
    upload = get_object_or_404(MentionImport.objects.select_related("uploaded_by"), pk=pk)
    return render(request, "insights/imports/detail.html", _progress(upload))


@role_required(Role.INSIGHTS_STAFF)
@require_GET
def import_progress(request, pk: int):
    """Insights staff: the progress fragment that the detail page polls (it stops once finished)."""
    upload = get_object_or_404(MentionImport, pk=pk)
    return render(request, "insights/imports/_progress.html", _progress(upload))


@role_required(Role.INSIGHTS_STAFF)
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


urlpatterns = [
    path("imports/", imports, name="imports"),
    path("imports/<int:pk>/map/", import_map, name="import_map"),
    path("imports/<int:pk>/", import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", import_progress, name="import_progress"),
    path("imports/<int:pk>/rejected.csv", import_rejected, name="import_rejected"),
]
