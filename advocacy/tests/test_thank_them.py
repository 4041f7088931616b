"""The "thank them" queue: positive mentions by ambassadors and candidates nobody answered, oldest first;
thanking one records who, when and how, counts as its first response and shows in its thread."""

import pytest
from django.urls import reverse

from advocacy.selectors.thanks import thank_queue, thank_speakers
from advocacy.services.invitations import invitation_accept, invitation_create
from advocacy.tests.factories import mentions_by as say
from insights.models import Channel, Mention, MentionAction
from insights.services.triage import mention_respond, mentions_no_action

pytestmark = pytest.mark.django_db

HATE = "Carl's Soda tastes awful now, I hate it. Terrible."


@pytest.fixture
def ana_client(client, login):
    login(client, "ana.insights")
    return client


def queued() -> list[tuple[str, str]]:
    return [(m.author_handle, m.external_id) for m in thank_queue(thank_speakers())]


def test_the_queue_holds_unanswered_praise_by_candidates_and_ambassadors_oldest_first(brand_terms, settings):
    settings.ADVOCACY_CANDIDATE_MIN_POSITIVE = 2
    say("@oldfan", 2, days_ago=5)
    say("@newfan", 2, days_ago=1)
    say("@newfan", 1, text=HATE, days_ago=1)  # not praise: not in the queue
    say("@onceonly", 1, days_ago=9)  # neither a candidate nor an ambassador
    handles = [handle for handle, _ in queued()]
    assert handles == ["@oldfan", "@oldfan", "@newfan", "@newfan"]
    published = [m.published_at for m in thank_queue(thank_speakers())]
    assert published == sorted(published)


def test_an_ambassador_found_by_listening_stays_in_the_queue_whatever_their_count(brand_terms, settings):
    twitter = Channel.objects.get(slug="twitter")
    say("@amyfizz", 3)
    _, token = invitation_create(email="amy@fans.example", discovered_channel=twitter, discovered_handle="@amyfizz")
    invitation_accept(token=token, name="Amy", password="a long passphrase 42")
    settings.ADVOCACY_CANDIDATE_MIN_POSITIVE = 50  # no longer a candidate by count
    from advocacy.selectors.discovery import candidates_forget

    candidates_forget()
    speakers = thank_speakers()
    assert speakers[(twitter.pk, "@amyfizz")].ambassador
    assert {handle for handle, _ in queued()} == {"@amyfizz"}


def test_answered_or_no_action_mentions_leave_the_queue(brand_terms, settings):
    settings.ADVOCACY_CANDIDATE_MIN_POSITIVE = 3
    say("@fan", 3)
    first, second, third = Mention.objects.filter(author_handle="@fan").order_by("published_at")
    mention_respond(mention=first, by=None)
    mentions_no_action(mentions=[second.pk], by=None)
    assert [external_id for _, external_id in queued()] == [third.external_id]


def test_thanking_records_how_counts_as_the_first_response_and_shows_in_the_thread(brand_terms, ana_client, settings):
    settings.ADVOCACY_CANDIDATE_MIN_POSITIVE = 3
    say("@giftee", 3)
    oldest = thank_queue(thank_speakers()).first()
    page = ana_client.get(reverse("advocacy:thank_them"))
    assert page.status_code == 200
    assert "the cherry one is great!" in page.text

    answer = ana_client.post(
        reverse("advocacy:thank", args=[oldest.pk]), {"how": "gift", "url": "https://carlssoda.example/gift/1"}
    )
    assert answer.status_code == 302
    oldest.refresh_from_db()
    assert oldest.status == Mention.Status.RESPONDED
    assert (oldest.first_response_kind, oldest.first_response_by.email) == ("gift", "ana.insights@carlssoda.example")
    assert oldest.first_response_url == "https://carlssoda.example/gift/1"
    action = oldest.actions.get()
    assert (action.kind, action.detail) == (MentionAction.Kind.THANKED, "by gift: https://carlssoda.example/gift/1")
    assert oldest.pk not in [m.pk for m in thank_queue(thank_speakers())]
    page = ana_client.get(reverse("advocacy:thank_them")).text
    assert "by gift" in page  # thanked lately
    assert "by gift" in ana_client.get(reverse("insights:mention_detail", args=[oldest.pk])).text


def test_thanking_twice_or_a_mention_not_in_the_queue_is_404_and_changes_nothing(brand_terms, ana_client, settings):
    settings.ADVOCACY_CANDIDATE_MIN_POSITIVE = 3
    say("@twice", 3)
    say("@stranger", 1, days_ago=3)
    mention = thank_queue(thank_speakers()).first()
    url = reverse("advocacy:thank", args=[mention.pk])
    assert ana_client.post(url, {"how": "reply"}).status_code == 302
    assert ana_client.post(url, {"how": "gift"}).status_code == 404
    stranger = Mention.objects.get(author_handle="@stranger")
    assert ana_client.post(reverse("advocacy:thank", args=[stranger.pk]), {"how": "reply"}).status_code == 404
    assert MentionAction.objects.count() == 1
    assert Mention.objects.get(pk=mention.pk).first_response_kind == "reply"


@pytest.mark.parametrize("body", [{"how": "bribe"}, {"how": "reply", "url": "not a link"}, {}])
def test_bad_input_is_refused_with_a_message_and_records_nothing(brand_terms, ana_client, settings, body):
    settings.ADVOCACY_CANDIDATE_MIN_POSITIVE = 3
    say("@careful", 3)
    mention = thank_queue(thank_speakers()).first()
    answer = ana_client.post(reverse("advocacy:thank", args=[mention.pk]), body)
    assert answer.status_code == 400
    assert "Not thanked" in answer.text
    assert not MentionAction.objects.exists()
