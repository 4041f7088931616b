"""The forms of the insights pages: what staff type in, checked before a service sees it."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.roles import Role
from accounts.selectors import users_with_role
from core.forms import form_add_service_errors
from insights.models import Channel, Sentiment, TrackedTerm
from insights.services.csv_import import BULK_FIELDS, MAX_UPLOAD_BYTES, import_guess_mapping
from insights.services.feeds import MIN_POLL_MINUTES
from insights.services.terms import TARGET_MAX_MINUTES

HUMAN_LABELS = [(Sentiment.POSITIVE, "Positive"), (Sentiment.NEUTRAL, "Neutral"), (Sentiment.NEGATIVE, "Negative")]


class OfflineMentionForm(forms.Form):
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.filter(is_active=True, kind=Channel.Kind.OFFLINE), empty_label=None
    )
    happened_at = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    text = forms.CharField(
        label="What was said", max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The customer's words as closely as you can, and the context.",
    )  # fmt: skip
    author_name = forms.CharField(label="Customer name", max_length=255, required=False)
    sentiment = forms.ChoiceField(
        label="Sentiment",
        choices=[("", "Let the model score it"), *HUMAN_LABELS],
        required=False,
        help_text="Set it yourself when you heard the tone; it counts as a staff label.",
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_happened_at(self):
        value = self.cleaned_data["happened_at"]
        if value.tzinfo is None:  # the browser sends local time: the organisation's zone
            value = value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        if value > datetime.now(ZoneInfo(settings.TIME_ZONE)):
            raise ValidationError("Is in the future.")
        return value


class InboxFilterForm(forms.Form):
    """The inbox's filters (GET). A bad value is shown and left out; the other filters still apply."""

    term = forms.CharField(required=False, max_length=100)
    channel = forms.CharField(required=False, max_length=50)
    label = forms.ChoiceField(required=False, choices=[("", "Any"), *Sentiment.choices])
    text = forms.CharField(required=False, max_length=200)
    source = forms.CharField(required=False, max_length=64)
    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import"] = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "Is before the start date.")
        return data

    def filters(self) -> dict:
        """The valid filters, as mentions_inbox() takes them."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
        if "import" in data:
            data["import_id"] = data.pop("import")
        return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


class IdListField(forms.Field):
    """Several ids sent under one name (checkboxes): a list of whole numbers."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"required": "Select at least one mention.", "invalid": "Not a mention id."}

    def to_python(self, value):
        if not value:
            return []
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BulkRelabelForm(forms.Form):
    """The inbox's "set one label on the selected mentions" form (checkboxes name `ids`)."""

    ids = IdListField()
    label = forms.ChoiceField(choices=HUMAN_LABELS, error_messages={"required": "Choose a label."})


class TermForm(forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=TrackedTerm.Kind.choices)
    query = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        help_text='e.g. "carl\'s soda" OR @carlssoda OR #carlssoda -"carl\'s jr"',
    )


class ChannelForm(forms.Form):
    """Add a channel (with its slug) or edit one (name, kind, active; the slug stays, sources name it)."""

    slug = forms.SlugField(max_length=50, help_text="A short id used by integrations and CSV files, e.g. “tiktok”.")
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=Channel.Kind.choices)
    is_active = forms.BooleanField(label="Active", required=False, initial=True)
    response_target_minutes = forms.IntegerField(
        label="First-response target (minutes)",
        required=False,
        min_value=1,
        max_value=TARGET_MAX_MINUTES,
        help_text="How soon a mention here should get its first answer: 60 is an hour, 1440 a day. "
        "Empty: no target (news). A change applies to the mentions not answered yet.",
    )
    owner = forms.ModelChoiceField(
        queryset=users_with_role(Role.INSIGHTS_STAFF),
        required=False,
        empty_label="Nobody",
        help_text="Told by email when a mention here is overdue and nobody is assigned to it.",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["slug"]


class FeedForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="How staff will know it, e.g. “Soda Reviews blog”.")
    url = forms.URLField(
        label="Feed address",
        max_length=2000,
        assume_scheme="https",
        help_text="The RSS or Atom address (often ends in /feed, /rss or .xml). Rapport checks it before saving.",
    )
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.filter(is_active=True, kind=Channel.Kind.ONLINE),
        empty_label="Choose a channel",
        help_text="Where its mentions are counted, e.g. Blogs, News or Review sites.",
    )
    poll_minutes = forms.IntegerField(
        label="Poll every (minutes)", min_value=MIN_POLL_MINUTES, max_value=7 * 24 * 60, initial=30
    )


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


def _mapping_field(key: str) -> str:
    """The mapping form's field for a key of import_start()'s errors."""
    return key if key in ("channel", "source") else _form_name(key)


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
        form_add_service_errors(
            self, exc, field_for=lambda key: key if key in ("channel", "source") else _form_name(key)
        )
