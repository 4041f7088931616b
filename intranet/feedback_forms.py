from django import forms

from accounts.models import Department
from intranet.models import Feedback


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=[
            (Feedback.Kind.FEEDBACK, "Feedback on the working environment (read by the Customer Advisory Council)"),
            (Feedback.Kind.SUGGESTION, "A suggestion for improvement (shown to all colleagues, answered publicly)"),
        ],
        initial=Feedback.Kind.FEEDBACK,
        widget=forms.RadioSelect,
        help_text="A signed suggestion shows your name to colleagues; an anonymous one shows none.",
    )
    topic = forms.ChoiceField(choices=Feedback.Topic.choices, initial=Feedback.Topic.OTHER)
    text = forms.CharField(label="Your feedback", max_length=5_000, widget=forms.Textarea(attrs={"rows": 6}))
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="I'd rather not say",
        help_text="Only if you want to say it: reports count departments of 5 answers or more only.",
    )
    anonymous = forms.BooleanField(
        required=False,
        label="Send it anonymously",
        help_text="Nothing links it to you: not your name, not the time (only the day), not its place in a list.",
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Public answer", max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))


class PulseForm(forms.Form):
    score = forms.TypedChoiceField(
        label="How likely are you to recommend Carl's Soda as a place to work?",
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text="0: not at all likely; 10: extremely likely.",
    )
    comment = forms.CharField(
        label="Anything to add?", required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="I'd rather not say",
        help_text="Only if you want to say it: departments show with 5 answers or more only.",
    )
