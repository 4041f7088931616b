from allauth.account.fields import PasswordField, SetPasswordField
from django import forms


class NewPasswordField(SetPasswordField):
    """allauth's password field with its validators, for a form that may also be sent empty (to decline)."""

    def clean(self, value):
        return super().clean(value) if value else ""


class JoinForm(forms.Form):
    """The one form of /join/<token>: accept (with a new account, or with one click when signed in) or decline."""

    name = forms.CharField(max_length=150, required=False, label="Your name")
    password1 = NewPasswordField(label="Choose a password", required=False)
    password2 = PasswordField(label="Password (again)", required=False, autocomplete="new-password")
    accept_terms = forms.BooleanField(required=False, label="I accept the program terms")
    reason = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Reason (optional)"
    )

    def __init__(self, *args, needs_account: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_account = needs_account
        if not needs_account:
            for field in ("name", "password1", "password2"):
                del self.fields[field]

    def clean(self):
        data = super().clean()
        if self.data.get("action") == "decline":
            return data  # declining needs nothing but the (optional) reason
        if not data.get("accept_terms"):
            self.add_error("accept_terms", "Accept the program terms to join.")
        if self.needs_account:
            if not (data.get("name") or "").strip():
                self.add_error("name", "Tell us your name.")
            if not self.errors.get("password1") and not data.get("password1"):
                self.add_error("password1", "Choose a password.")
            elif data.get("password1") and data.get("password1") != data.get("password2"):
                self.add_error("password2", "The two passwords differ.")
        return data
