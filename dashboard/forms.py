from datetime import date

from django import forms

from core.validators import validate_sane_date
from dashboard.selectors import DEFAULT_RANGE, MAX_SPAN_DAYS, RANGES, DateRange, date_range_preset, org_today


class DateRangeForm(forms.Form):
    """The dashboard's date-range picker (GET, so a URL shares the range): a preset, or custom days."""

    range = forms.ChoiceField(
        required=False, choices=[*RANGES.items(), ("custom", "Custom")], label="Range", initial=DEFAULT_RANGE
    )
    start = forms.DateField(
        required=False, label="From", validators=[validate_sane_date], widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", validators=[validate_sane_date], widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        key = data.get("range") or ("custom" if data.get("start") or data.get("end") else DEFAULT_RANGE)
        data["range"] = key
        if key != "custom" or self.errors:
            return data
        start, end = data.get("start"), data.get("end")
        if start is None:
            self.add_error("start", "Choose the first day of a custom range.")
        if end is None:
            self.add_error("end", "Choose the last day of a custom range.")
        if start and end and end < start:
            self.add_error("end", "Is before the first day.")
        elif start and end and (end - start).days + 1 > MAX_SPAN_DAYS:
            self.add_error("end", f"A range covers at most {MAX_SPAN_DAYS} days.")
        return data

    def date_range(self, *, today: date | None = None) -> DateRange:
        """The range asked for; the default (last 30 days) when the input is not valid (its errors shown)."""
        today = today or org_today()
        if not self.is_valid():
            return date_range_preset(DEFAULT_RANGE, today=today)
        key = self.cleaned_data["range"]
        if key == "custom":
            return DateRange(self.cleaned_data["start"], self.cleaned_data["end"])
        return date_range_preset(key, today=today)
