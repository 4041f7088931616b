"""Links in emails point at the address people reach Rapport on."""

import re

from django.core import mail

from core.links import absolute_url


def _join_link(message) -> str:
    return re.search(r"https?://\S+/join/\S+", message.body).group(0)


def test_an_invitation_sent_from_the_program_page_links_to_the_host_it_was_sent_from(
    client, login, django_capture_on_commit_callbacks
):
    login(client, "ana.insights")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/program/invitations/", {"email": "kim@customers.example", "name": "Kim"}, HTTP_HOST="testserver:8790"
        )
    assert response.status_code == 302
    assert _join_link(mail.outbox[0]).startswith("http://testserver:8790/join/")


def test_a_resent_invitation_links_to_the_host_it_was_resent_from(client, login, django_capture_on_commit_callbacks):
    from advocacy.tests.factories import InvitationFactory

    invitation, _ = InvitationFactory()
    login(client, "ana.insights")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/program/invitations/{invitation.pk}/resend/", HTTP_HOST="testserver:8790")
    assert _join_link(mail.outbox[-1]).startswith("http://testserver:8790/join/")


def test_an_invitation_through_the_api_links_to_the_host_it_was_called_on(
    api_client, django_capture_on_commit_callbacks
):
    client = api_client("program:write")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/invitations", {"email": "lee@customers.example"}, HTTP_HOST="testserver:8790")
    assert response.status_code == 201
    assert _join_link(mail.outbox[0]).startswith("http://testserver:8790/join/")


def test_without_a_request_links_use_site_url(settings):
    settings.SITE_URL = "https://rapport.example/"
    assert absolute_url("/insights/alerts/") == "https://rapport.example/insights/alerts/"
