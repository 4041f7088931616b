from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Self sign-up is for employees only: open when EMPLOYEE_EMAIL_DOMAINS is set."""

    def is_open_for_signup(self, request) -> bool:
        return bool(settings.EMPLOYEE_EMAIL_DOMAINS)

    def get_login_redirect_url(self, request) -> str:
        # `home` sends each role to its own landing page; a safe ?next= still wins (allauth).
        return reverse("home")
