"""Claiming an account that intranet_import made: its owner resets the password, which activates it.

allauth's reset form looks up active accounts only, so an imported (inactive) account would never get a
reset email. `ClaimResetPasswordForm` (settings.ACCOUNT_FORMS["reset_password"]) also finds an inactive
account that is still waiting to be claimed, that is, one with an ImportedAccount row; any other inactive
account (someone who left, an erased ambassador) stays out of reach as before. When the reset link is
used, `account_claim` activates the account, records the address as verified (the link proved it) and
deletes the ImportedAccount row, so a later deactivation cannot be undone by another reset.
"""

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver

from accounts.models import User
from intranet.models import ImportedAccount


def _unclaimed(email: str) -> list[User]:
    return list(User.objects.filter(email__iexact=email.strip(), is_active=False, imported_account__isnull=False))


class ClaimResetPasswordForm(ResetPasswordForm):
    """allauth's password reset form, which also reaches imported accounts waiting to be claimed."""

    def clean_email(self) -> str:
        try:
            email = super().clean_email()
        except ValidationError:  # unknown address, when enumeration is not prevented
            self.users = _unclaimed(self.cleaned_data["email"])
            if not self.users:
                raise
            return self.cleaned_data["email"]
        if not self.users:
            self.users = _unclaimed(email)
        return email


@transaction.atomic
def account_claim(*, user: User) -> bool:
    """Activate an imported account after its owner set a password by reset; True when it was one."""
    deleted, _ = ImportedAccount.objects.filter(user=user).delete()
    if not deleted:
        return False
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    return True


@receiver(password_reset)
def _claim_on_password_reset(sender, request, user, **kwargs):
    account_claim(user=user)
