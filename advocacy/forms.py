"""The program's forms: input for the HTML views, cleaned here and handed to a service."""

from allauth.account.fields import PasswordField, SetPasswordField
from django import forms

from advocacy.models import (
    KIT_MESSAGE_MAX,
    NOTE_MAX,
    POST_TEXT_MAX,
    SHOUT_OUT_MAX,
    STORY_BODY_MAX,
    Kit,
    Membership,
    MembershipEvent,
    Story,
)
from advocacy.selectors.discovery import MIN_POSITIVE_MAX
from advocacy.selectors.program import SEAT_HOLDING
from advocacy.selectors.referrals import channels_for_posts, channels_online, kits_shareable
from core.validators import validate_sane_date
from insights.models import Channel, Mention


class NewPasswordField(SetPasswordField):
    """allauth's password field with its validators, for a form that may also be sent empty (to decline)."""

    def clean(self, value):
        return "" if not value and not self.required else super().clean(value)


PASSWORD_MAX = 4096  # room for any passphrase; no more for the validators and the hasher to chew on


class JoinForm(forms.Form):
    """The one form of /join/<token>: accept (with a new account, or with one click when signed in) or decline."""

    name = forms.CharField(max_length=150, label="Your name", error_messages={"required": "Tell us your name."})
    password1 = NewPasswordField(
        label="Choose a password", max_length=PASSWORD_MAX, error_messages={"required": "Choose a password."}
    )
    password2 = PasswordField(label="Password (again)", max_length=PASSWORD_MAX, autocomplete="new-password")
    accept_terms = forms.BooleanField(
        label="I accept the program terms", error_messages={"required": "Accept the program terms to join."}
    )
    reason = forms.CharField(
        max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Reason"
    )

    def __init__(self, *args, needs_account: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_account = needs_account
        if not needs_account:
            for field in ("name", "password1", "password2"):
                del self.fields[field]
        accepting = self.data.get("action") != "decline"  # declining needs nothing but the optional reason
        for name, field in self.fields.items():
            if name != "reason":
                field.required = accepting

    def clean(self):
        data = super().clean()
        if self.needs_account and data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        return data


# --- Program managers: invitations -----------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email")
    name = forms.CharField(max_length=150, required=False, label="Name")
    note = forms.CharField(
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Personal note",
        help_text="Quoted in the email: say why you are inviting them.",
    )
    # Set when the form was opened from advocate discovery: the mention author the invitation came from.
    discovered_channel = forms.ModelChoiceField(
        queryset=Channel.objects.all(), to_field_name="slug", required=False, widget=forms.HiddenInput
    )
    discovered_handle = forms.CharField(max_length=255, required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        hidden_errors = "discovered_channel" in self.errors or "discovered_handle" in self.errors
        if hidden_errors or bool(data.get("discovered_channel")) != bool(data.get("discovered_handle")):
            raise forms.ValidationError(
                "The discovered author is incomplete or unknown: open the invitation from the candidates again."
            )
        return data


# --- Program managers: advocate discovery -----------------------------------


class CandidateFilterForm(forms.Form):
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.filter(kind=Channel.Kind.ONLINE),
        to_field_name="slug",
        required=False,
        empty_label="Every channel",
    )
    min_positive = forms.IntegerField(
        label="Positive mentions, at least", min_value=1, max_value=MIN_POSITIVE_MAX, required=False
    )


CANDIDATE_KEY_MAX = 300  # "a:<channel slug>:<handle>" or "p:<id>"


class MergeForm(forms.Form):
    candidates = forms.Field(
        widget=forms.MultipleHiddenInput,
        label="Candidates to merge",
        error_messages={"required": "Tick two candidates or more to merge them into one person."},
    )
    name = forms.CharField(max_length=150, required=False, label="Their name (optional)")

    def clean_candidates(self):
        keys = list(dict.fromkeys(self.cleaned_data["candidates"]))
        if len(keys) < 2:
            raise forms.ValidationError("Tick two candidates or more to merge them into one person.")
        if len(keys) > 100 or any(len(key) > CANDIDATE_KEY_MAX for key in keys):
            raise forms.ValidationError("Tick at most 100 candidates.")
        return keys


class HideForm(forms.Form):
    candidate = forms.CharField(max_length=CANDIDATE_KEY_MAX)
    reason = forms.CharField(max_length=NOTE_MAX, required=False, label="Reason")


# --- Ambassadors: logging activity, stories, privacy -------------------------


class ShareForm(forms.Form):
    url = forms.URLField(label="Post URL", max_length=500, assume_scheme="https", help_text="The address of your post.")
    channel = forms.ModelChoiceField(
        label="Where you shared it",
        queryset=Channel.objects.none(),
        required=False,
        empty_label="Tell from the address",
        help_text="X, Facebook, Instagram, Reddit, YouTube, TikTok and LinkedIn are told from the address; "
        "choose for a blog, a forum or another site.",
    )
    kit = forms.ModelChoiceField(label="Share kit", queryset=Kit.objects.none(), required=False, empty_label="No kit")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels_online()
        self.fields["kit"].queryset = kits_shareable()


class ReviewForm(forms.Form):
    channel = forms.ModelChoiceField(label="Where you reviewed us", queryset=Channel.objects.none(), empty_label=None)
    url = forms.URLField(label="Review URL", max_length=500, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels_online()
        if not self.is_bound:  # most reviews are on review sites
            self.fields["channel"].initial = (
                channels_online().filter(slug="review-site").values_list("pk", flat=True).first()
            )


class StoryForm(forms.Form):
    kind = forms.ChoiceField(label="What it is", choices=Story.Kind.choices)
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Your story", max_length=STORY_BODY_MAX, widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text. The program team reads every story before it is published.",
    )  # fmt: skip


class EraseConfirmForm(forms.Form):
    email = forms.EmailField(label="Type your email address to confirm")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email != self.user.email.lower():
            raise forms.ValidationError("That is not the email address of your account.")
        return email


# --- Program managers: shout-outs and kits -----------------------------------


class ShoutOutForm(forms.Form):
    membership = forms.ModelChoiceField(
        label="Send to", queryset=Membership.objects.none(), required=False, empty_label="Everyone in the program"
    )
    message = forms.CharField(max_length=SHOUT_OUT_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(status__in=SEAT_HOLDING).select_related("user").order_by("user__name")
        self.fields["membership"].queryset = members
        self.fields["membership"].label_from_instance = lambda m: f"{m.user.name or m.user.email} ({m.user.email})"


class KitForm(forms.Form):
    title = forms.CharField(max_length=150)
    message = forms.CharField(max_length=KIT_MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="What the campaign is about.")  # fmt: skip
    target_url = forms.URLField(label="Target URL", max_length=500, assume_scheme="https",
                                help_text="Where referral links lead; UTM parameters are added.")  # fmt: skip
    campaign = forms.SlugField(max_length=80, help_text="utm_campaign on referral links, e.g. cherry-summer.")
    starts_on = forms.DateField(label="Starts on", widget=forms.DateInput(attrs={"type": "date"}),
                                validators=[validate_sane_date])  # fmt: skip
    ends_on = forms.DateField(label="Ends on", widget=forms.DateInput(attrs={"type": "date"}),
                              validators=[validate_sane_date])  # fmt: skip


class AssetForm(forms.Form):
    label = forms.CharField(max_length=150)
    url = forms.URLField(label="Link", max_length=500, required=False, assume_scheme="https")
    file = forms.FileField(required=False, help_text="Or upload a file (20 MB at most).")


class PostForm(forms.Form):
    channel = forms.ModelChoiceField(queryset=Channel.objects.none(), empty_label=None)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=POST_TEXT_MAX,
                           help_text="The ambassador's personal link is shown beside it.")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels_for_posts()


# --- Program managers: reviews and membership changes (POST-only actions) ------


class StoryDeclineForm(forms.Form):
    note = forms.CharField(
        max_length=NOTE_MAX,
        label="Note for the author",
        error_messages={"required": "Tell the author why, in a short note."},
    )


class ProposalForm(forms.Form):
    """Propose someone for an invitation; a program manager confirms or declines."""

    email = forms.EmailField(label="Their email")
    name = forms.CharField(max_length=150, label="Their name", error_messages={"required": "Give the person's name."})
    reason = forms.CharField(
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why invite them?",
        help_text="For the program managers; it is not sent to the person.",
        error_messages={"required": "Say why they should be invited: the managers read it."},
    )


class ProposalConfirmForm(forms.Form):
    note = forms.CharField(
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Personal note",
        help_text="Quoted in the invitation email (optional).",
    )


class ProposalDeclineForm(forms.Form):
    reason = forms.CharField(
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason",
        help_text="The proposer reads it.",
        error_messages={"required": "Say why: the proposer reads it."},
    )


class MemberStatusForm(forms.Form):
    ACTIONS = ["pause", "resume", MembershipEvent.Kind.LEFT, MembershipEvent.Kind.REMOVED, MembershipEvent.Kind.ALUMNI]

    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS], label="What to do")
    reason = forms.CharField(max_length=NOTE_MAX, required=False, label="Reason")


class FloodReviewForm(forms.Form):
    """One code's held clicks in one hour: the hour as the review page sends it (ISO 8601)."""

    hour = forms.DateTimeField(label="Hour", validators=[validate_sane_date])


class ThankForm(forms.Form):
    """How a positive mention was thanked: a reply, a shout-out or a gift, with a link to it if there is one."""

    how = forms.ChoiceField(label="How", choices=Mention.ResponseKind.choices, initial=Mention.ResponseKind.REPLY)
    url = forms.URLField(label="Link to it (optional)", required=False, max_length=2000, assume_scheme="https")
