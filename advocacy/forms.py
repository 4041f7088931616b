from allauth.account.fields import PasswordField, SetPasswordField
from django import forms


class NewPasswordField(SetPasswordField):
    """allauth's password field with its validators, for a form that may also be sent empty (to decline)."""

    def clean(self, value):
        return "" if not value and not self.required else super().clean(value)


class JoinForm(forms.Form):
    """The one form of /join/<token>: accept (with a new account, or with one click when signed in) or decline."""

    name = forms.CharField(max_length=150, label="Your name", error_messages={"required": "Tell us your name."})
    password1 = NewPasswordField(label="Choose a password", error_messages={"required": "Choose a password."})
    password2 = PasswordField(label="Password (again)", autocomplete="new-password")
    accept_terms = forms.BooleanField(
        label="I accept the program terms", error_messages={"required": "Accept the program terms to join."}
    )
    reason = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Reason")

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
