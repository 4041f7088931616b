"""Invitation tokens and the email that carries one: shared by invitations and waitlist offers.

A token is 256 random bits, shown once in the email; only its SHA-256 is stored.
"""

import hashlib
import logging
import secrets

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from advocacy.models import Invitation
from core.links import absolute_url

logger = logging.getLogger(__name__)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_new() -> tuple[str, str]:
    """A new token and its hash: the token for the email, the hash for the database."""
    token = secrets.token_urlsafe(32)  # 256 bits
    return token, token_hash(token)


def invitation_email_send(invitation: Invitation, token: str, *, origin: str | None = None) -> None:
    """Email the link after the transaction commits (a rolled-back invitation sends nothing).

    The link starts with `origin` (the address the manager used), else with SITE_URL.
    """
    link = absolute_url(reverse("advocacy:join", kwargs={"token": token}), origin=origin)
    context = {"invitation": invitation, "link": link, "program": invitation.program}
    template = "waitlist_offer" if invitation.kind == Invitation.Kind.WAITLIST_OFFER else "invitation"
    subject = render_to_string(f"advocacy/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"advocacy/email/{template}.txt", context)

    def send():
        try:
            send_mail(subject, body, None, [invitation.email])
        except Exception:  # the invitation stands; a manager can resend it
            logger.exception("could not email invitation %s", invitation.pk)

    transaction.on_commit(send)
