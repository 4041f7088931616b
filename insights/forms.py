"""The forms of the insights pages: what staff type in, checked before a service sees it."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.models import Department
from accounts.roles import Role
from accounts.selectors import users_with_role
from core.forms import form_add_service_errors
from core.validators import validate_sane_date
from insights.models import Channel, Finding, Mention, Sentiment, TrackedTerm
from insights.selectors.triage import REASONS, triage_assignees
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


class TriageFilterForm(InboxFilterForm):
    """The triage inbox's filters (GET): the inbox's, a quick view (`reason`) and the workflow's fields."""

    reason = forms.ChoiceField(required=False, choices=[("", "Needs attention"), *REASONS.items()])
    status = forms.ChoiceField(required=False, choices=[("", "Any"), *Mention.Status.choices])
    assignee = forms.RegexField(required=False, regex=r"^(me|nobody|\d{1,18})$", max_length=20)
    department = forms.SlugField(required=False, max_length=50)
    tag = forms.CharField(required=False, max_length=50)
    min_reach = forms.IntegerField(required=False, label="Min. reach", min_value=0, max_value=10**12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["import"]

    def filters(self) -> dict:
        """The valid filters, as mentions_triage() takes them."""
        data = super().filters()
        if "min_reach" in data:
            data["min_reach"] = int(data["min_reach"])
        return data


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


class TriageActionForm(forms.Form):
    """One triage action and what it needs: a person to assign, a department to route to, a tag."""

    ACTIONS = {
        "assign": "Assign",
        "route": "Route",
        "tag": "Tag",
        "untag": "Untag",
        "respond": "Mark responded",
        "no_action": "No action needed",
        "reopen": "Reopen",
    }
    action = forms.ChoiceField(choices=list(ACTIONS.items()), error_messages={"required": "Choose an action."})
    assignee = forms.ModelChoiceField(queryset=None, required=False, empty_label="Choose a person")
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), to_field_name="slug", required=False, empty_label="Choose a department"
    )
    tag = forms.CharField(required=False, max_length=60)
    url = forms.URLField(label="Link to the reply", required=False, max_length=2000, assume_scheme="https")

    def __init__(self, *args, actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = triage_assignees()
        if actions is not None:
            self.fields["action"].choices = [(a, self.ACTIONS[a]) for a in actions]

    def clean(self):
        data = super().clean()
        needs = {"assign": "assignee", "route": "department", "tag": "tag", "untag": "tag"}
        field = needs.get(data.get("action"))
        if field and not data.get(field) and field not in self.errors:
            self.add_error(
                field, {"assignee": "Choose a person.", "department": "Choose a department."}.get(field, "Type a tag.")
            )
        return data


class TriageBulkForm(TriageActionForm):
    """A triage action on the ticked mentions (`ids`), or on every mention of the filter (`scope=all`, the
    filter's query string in `q`)."""

    ids = IdListField(required=False)
    scope = forms.ChoiceField(required=False, choices=[("", "The selection"), ("all", "Every mention of the filter")])
    q = forms.CharField(required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("scope") != "all" and not data.get("ids") and "ids" not in self.errors:
            self.add_error("ids", "Select at least one mention, or choose every mention of the filter.")
        return data


class SavedViewForm(forms.Form):
    name = forms.CharField(max_length=80, strip=True)
    query = forms.CharField(max_length=2000, required=False)


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


class FindingForm(forms.Form):
    """A finding as staff write it; the service checks the departments, mention ids and chart again."""

    title = forms.CharField(max_length=200)
    summary = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}), help_text="What you found.")
    recommended_action = forms.CharField(
        max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}), help_text="What the department should do."
    )
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.order_by("name"), to_field_name="slug", widget=forms.CheckboxSelectMultiple
    )
    priority = forms.ChoiceField(choices=Finding.Priority.choices, initial=Finding.Priority.NORMAL)
    due = forms.DateField(
        required=False, validators=[validate_sane_date], widget=forms.DateInput(attrs={"type": "date"})
    )
    mentions = forms.CharField(
        label="Mention ids",
        required=False,
        max_length=5_000,
        help_text="The mentions behind it: their ids (shown in the mentions list), separated by commas or spaces.",
    )
    chart_term = forms.ModelChoiceField(
        label="Chart: tracked term", queryset=TrackedTerm.objects.order_by("name"), required=False
    )
    chart_start = forms.DateField(
        label="Chart from",
        required=False,
        validators=[validate_sane_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    chart_end = forms.DateField(
        label="Chart to",
        required=False,
        validators=[validate_sane_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def clean_mentions(self):
        raw = self.cleaned_data["mentions"].replace(",", " ").split()
        bad = [part for part in raw if not part.isdigit() or len(part) > 18]
        if bad:
            raise ValidationError(f"Not mention ids: {', '.join(bad[:10])}. Use numbers separated by commas.")
        return [int(part) for part in dict.fromkeys(raw)]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("token", None)
        data["departments"] = [department.slug for department in data["departments"]]
        return data


FINDING_STATUS_FILTER = [("", "Any status"), *Finding.Status.choices]
FINDING_PRIORITY_FILTER = [("", "Any priority"), *Finding.Priority.choices]


class FindingBoardFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="Every department",
    )
    status = forms.ChoiceField(choices=FINDING_STATUS_FILTER, required=False)
    priority = forms.ChoiceField(choices=FINDING_PRIORITY_FILTER, required=False)
    overdue = forms.BooleanField(required=False, label="Overdue only")
