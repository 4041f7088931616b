from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.db import transaction

from accounts.roles import Role
from accounts.services import user_grant_roles


def email_domain_is_employee(email: str) -> bool:
    return email.rsplit("@", 1)[-1].lower() in settings.EMPLOYEE_EMAIL_DOMAINS


class EmployeeSignupForm(SignupForm):
    """Sign-up for employees: a work address, a name; the account becomes an employee."""

    name = forms.CharField(max_length=150, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"}))

    field_order = ["name", "email", "password1", "password2"]

    def clean_email(self):
        email = super().clean_email()
        if not email_domain_is_employee(email):
            domains = ", ".join(f"@{d}" for d in settings.EMPLOYEE_EMAIL_DOMAINS)
            raise forms.ValidationError(
                f"Sign-up is for employees: use your work address ({domains}). Ambassadors join by invitation."
            )
        return email

    @transaction.atomic
    def save(self, request):
        user = super().save(request)
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])
        user_grant_roles(user=user, roles=[Role.EMPLOYEE])
        return user
