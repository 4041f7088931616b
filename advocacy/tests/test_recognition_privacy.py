"""Privacy: a member downloads their data, and asks for erasure; aggregate counts stay right."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Activity, Conversion, Invitation, Membership, MembershipEvent, ReferralClick, Story
from advocacy.selectors.recognition import activity_totals, story_credit
from advocacy.services.activities import activity_record
from advocacy.services.membership import membership_end
from advocacy.services.privacy import member_erase
from advocacy.services.recognition import shout_out_post, story_publish, story_submit
from advocacy.tests.factories import InvitationFactory, KitFactory, MembershipFactory, ReferralLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amy(make_user):
    InvitationFactory(email="amy.ambassador@example.net", note="We loved your cherry review, Amy!")
    return MembershipFactory(user=make_user("amy.ambassador"))


def world(member, *, tag):
    """A member's footprint: a share, a story, a link with clicks and a customer's conversion."""
    now = timezone.now()
    activity_record(membership=member, kind="share", key=f"https://social.example/{tag}/1",
                    url=f"https://social.example/{tag}/1")  # fmt: skip
    story_publish(story=story_submit(membership=member, title=f"Story of {tag}", body=f"Body of {tag}."))
    link = ReferralLinkFactory(membership=member, kit=KitFactory(), code=f"code-{tag}")
    for n in range(2):
        ReferralClick.objects.create(link=link, day=now.date(), visitor_hash=f"{tag}-{n}", at=now)
    Conversion.objects.create(
        link=link, order_id=f"order-{tag}", customer_ref=f"customer-of-{tag}", ordered_at=now,
        customer_email_hash="f" * 64,
    )  # fmt: skip
    return link


def test_a_member_downloads_their_own_data_and_nobody_elses(client, amy, make_user):
    world(amy, tag="amy")
    shout_out_post(message="Thanks Amy!", membership=amy)
    other = MembershipFactory(user=make_user(email="bo.other@example.net", name="Bo Other"))
    world(other, tag="bo")
    shout_out_post(message="Thanks Bo!", membership=other)
    client.force_login(amy.user)

    response = client.get(reverse("advocacy:privacy_download"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rapport-my-data.json"'
    data = json.loads(response.content)
    assert data["profile"]["email"] == "amy.ambassador@example.net"
    assert data["membership"]["history"][0]["event"] == "joined"
    assert data["invitations"][0]["note"] == "We loved your cherry review, Amy!"
    assert [a["url"] for a in data["activities"] if a["kind"] == "share"] == ["https://social.example/amy/1"]
    assert {b["badge"] for b in data["badges"]} >= {"first-share", "first-story"}
    assert data["stories"][0]["title"] == "Story of amy"
    assert data["shout_outs_to_you"] == [{"message": "Thanks Amy!", "at": data["shout_outs_to_you"][0]["at"]}]
    assert data["referral_links"][0]["code"] == "code-amy"
    assert data["referral_links"][0]["clicks_counted"] == 2
    assert data["referral_links"][0]["conversions_counted"] == 1
    text = response.content.decode()
    for someone_elses in ("bo.other@example.net", "Bo Other", "code-bo", "Story of bo", "Thanks Bo!", "/bo/"):
        assert someone_elses not in text
    for customer_data in ("customer-of-amy", "order-amy", "f" * 64):
        assert customer_data not in text


def test_people_without_a_membership_get_404(client, login):
    login(client, "eli.employee")
    for name in ("advocacy:privacy", "advocacy:privacy_download", "advocacy:privacy_erase"):
        assert client.get(reverse(name)).status_code == 404


def test_a_former_member_can_still_download_their_data(client, amy):
    membership_end(membership=amy, kind="left", reason="Busy")
    client.force_login(amy.user)
    assert client.get(reverse("advocacy:privacy")).status_code == 200
    data = json.loads(client.get(reverse("advocacy:privacy_download")).content)
    assert data["membership"]["status"] == "alumni"


def test_erasure_asks_for_the_email_first(client, amy):
    client.force_login(amy.user)
    response = client.post(reverse("advocacy:privacy_erase"), {"email": "someone@else.example"})
    assert response.status_code == 200
    assert "not the email address of your account" in response.content.decode()
    amy.refresh_from_db()
    assert amy.erased_at is None
    assert amy.status == "active"


def test_erasure_anonymises_the_member_and_keeps_the_counts(client, amy):
    link = world(amy, tag="amy")
    waiting = story_submit(membership=amy, title="Unpublished draft", body="Private.")
    before = activity_totals([amy])[amy.pk]
    user_id = amy.user_id
    client.force_login(amy.user)

    response = client.post(reverse("advocacy:privacy_erase"), {"email": "Amy.Ambassador@example.net"})

    assert "Your personal data is erased" in response.content.decode()
    assert "_auth_user_id" not in client.session  # signed out
    amy.refresh_from_db()
    user = amy.user
    assert user.name == "Former ambassador"
    assert user.email == f"erased-{user_id}@invalid.example"
    assert not user.is_active
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert amy.status == Membership.Status.ALUMNI
    assert amy.seat is None
    assert amy.erased_at
    assert list(amy.events.values_list("kind", flat=True)) == ["joined", "left", "erased"]
    assert amy.events.get(kind="left").reason == "Erasure requested"
    assert not Invitation.objects.filter(email__iexact="amy.ambassador@example.net").exists()
    assert Invitation.objects.get().note == ""
    # aggregates: the same counts and points, without the person
    assert activity_totals([amy])[amy.pk] == before
    assert ReferralClick.objects.filter(link=link).count() == 2
    assert Conversion.objects.filter(link=link).count() == 1
    assert not Activity.objects.filter(url__contains="social.example").exists()
    assert not Story.objects.filter(pk=waiting.pk).exists()
    published = Story.objects.get(title="Story of amy")
    assert story_credit(published) == "a former ambassador"
    page = client.get(reverse("advocacy:story", args=[published.slug])).content.decode()
    assert "by a former ambassador" in page
    assert "Amy" not in page
    # and they cannot sign back in
    assert not client.login(email="amy.ambassador@example.net", password="carls-soda-demo")


def test_erasure_frees_the_seat_and_is_idempotent(amy):
    member_erase(membership=amy)
    member_erase(membership=amy)
    amy.refresh_from_db()
    assert amy.events.filter(kind=MembershipEvent.Kind.ERASED).count() == 1
    assert Membership.objects.filter(status__in=["active", "paused"]).count() == 0


def test_a_program_manager_erases_a_member(client, amy, login):
    ana = login(client, "ana.insights")

    response = client.post(reverse("advocacy:member_erase", args=[amy.pk]), {"next": "/program/stories/"})

    assert response.status_code == 302
    assert response["Location"] == "/program/stories/"
    amy.refresh_from_db()
    assert amy.erased_at
    assert amy.user.name == "Former ambassador"
    assert amy.events.get(kind="erased").by == ana


def test_an_ambassador_cannot_erase_someone_else(client, amy):
    other = MembershipFactory()
    client.force_login(amy.user)
    assert client.post(reverse("advocacy:member_erase", args=[other.pk])).status_code == 403
    other.refresh_from_db()
    assert other.erased_at is None
