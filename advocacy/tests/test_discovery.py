"""Advocate discovery: who ranks first, merging and unmerging, hiding for good, marks, and inviting from it.

Mentions come in through the ingest service (matched to terms and scored by VADER), as in production.
"""

import pytest
from django.urls import reverse

from advocacy.models import AdvocateAuthor, AdvocatePerson, Invitation, Program
from advocacy.selectors.discovery import advocate_candidates, author_key
from advocacy.services.discovery import advocate_hide, advocates_merge
from advocacy.services.invitations import InvitationError, invitation_accept, invitation_create
from advocacy.tasks import candidates_refresh_task
from advocacy.tests.factories import PRAISE, MembershipFactory
from advocacy.tests.factories import mentions_by as say
from insights.models import Channel

pytestmark = pytest.mark.django_db

HATE = "Carl's Soda tastes awful now, I hate it. Terrible."
RIVAL_LOVE = "I love Bubbleton, it is great!"


@pytest.fixture
def ana_client(client, login):
    login(client, "ana.insights")
    return client


def ranked(**options) -> list[str]:
    return [",".join(candidate.handles) for candidate in advocate_candidates(**options)]


# --- The ranking -------------------------------------------------------------------------------------


def test_a_planted_fan_ranks_first(brand_terms):
    say("@quietfan", 3, reach=20)
    say("@mixedfeelings", 4, reach=20)
    say("@mixedfeelings", 4, text=HATE, reach=20)
    say("@fizzwhisperer", 8, reach=9000, likes=40)
    say("@oldfan", 8, reach=9000, likes=40, days_ago=300)

    assert ranked() == ["@fizzwhisperer", "@oldfan", "@quietfan", "@mixedfeelings"]
    top = advocate_candidates()[0]
    assert (top.positive_mentions, top.reach, top.engagement, top.channels) == (8, 9000, 320, ["twitter"])
    assert top.average_sentiment > 0.5
    assert top.name == "A Fan"


def test_only_mentions_of_the_brand_count_not_praise_of_a_competitor(brand_terms):
    say("@bubblefan", 9, text=RIVAL_LOVE)
    say("@brandfan", 3)

    assert ranked() == ["@brandfan"]


def test_authors_under_the_minimum_of_positive_mentions_are_left_out(brand_terms, settings):
    say("@twotimes", 2)
    say("@threetimes", 3)

    assert ranked() == ["@threetimes"]
    assert sorted(ranked(min_positive=2)) == ["@threetimes", "@twotimes"]
    settings.ADVOCACY_CANDIDATE_MIN_POSITIVE = 4
    assert ranked() == []


def test_the_same_handle_on_two_channels_is_two_authors_until_merged(brand_terms):
    say("@cherrycarla", 3, channel="twitter")
    say("@cherrycarla", 3, channel="reddit")

    keys = [candidate.key for candidate in advocate_candidates()]
    assert sorted(keys) == ["a:reddit:@cherrycarla", "a:twitter:@cherrycarla"]
    assert ranked(channel=Channel.objects.get(slug="reddit")) == ["@cherrycarla"]


# --- Merge and unmerge (through the page) --------------------------------------------------------------


def test_staff_merge_authors_into_one_person_and_unmerging_restores_them(brand_terms, ana_client):
    say("@carla", 2, channel="twitter")
    say("@carla_fizz", 2, channel="reddit")
    keys = [author_key("twitter", "@carla"), author_key("reddit", "@carla_fizz")]
    assert sorted(ranked(min_positive=2)) == ["@carla", "@carla_fizz"]
    assert ranked() == []

    answer = ana_client.post(reverse("advocacy:candidates_merge"), {"candidates": keys, "name": "Carla Fizz"})

    assert answer.status_code == 302
    [person] = advocate_candidates()
    assert (person.name, person.positive_mentions, person.handles) == ("Carla Fizz", 4, ["@carla", "@carla_fizz"])
    assert person.channels == ["reddit", "twitter"]
    page = ana_client.get(reverse("advocacy:candidates"))
    assert "Carla Fizz" in page.text
    assert "merged" in page.text

    answer = ana_client.post(reverse("advocacy:candidate_unmerge", args=[person.person_id]))

    assert answer.status_code == 302
    assert not AdvocatePerson.objects.exists()
    assert not AdvocateAuthor.objects.exists()
    assert sorted(ranked(min_positive=2)) == ["@carla", "@carla_fizz"]


def test_merging_a_person_with_another_author_keeps_one_person(brand_terms, ana_client):
    say("@a_fan", 3, channel="twitter")
    say("@a_fan", 3, channel="reddit")
    say("@a.fan", 3, channel="twitter")
    url = reverse("advocacy:candidates_merge")
    ana_client.post(url, {"candidates": [author_key("twitter", "@a_fan"), author_key("reddit", "@a_fan")]})
    person = AdvocatePerson.objects.get()

    ana_client.post(url, {"candidates": [f"p:{person.pk}", author_key("twitter", "@a.fan")]})

    [candidate] = advocate_candidates()
    assert candidate.person_id == person.pk
    assert candidate.positive_mentions == 9
    assert AdvocatePerson.objects.count() == 1


def test_merging_one_candidate_is_refused_and_nothing_changes(brand_terms, ana_client):
    say("@lonely", 3)

    answer = ana_client.post(reverse("advocacy:candidates_merge"), {"candidates": [author_key("twitter", "@lonely")]})

    assert answer.status_code == 400
    assert "Tick two candidates or more" in answer.text
    assert not AdvocatePerson.objects.exists()


def test_merging_an_unknown_candidate_merges_nothing(brand_terms, ana_client):
    say("@real", 3)
    keys = [author_key("twitter", "@real"), "p:424242"]

    answer = ana_client.post(reverse("advocacy:candidates_merge"), {"candidates": keys}, follow=True)

    assert "no longer listed" in answer.text
    assert not AdvocatePerson.objects.exists()


def test_unmerging_an_unknown_person_is_404(ana_client):
    assert ana_client.post(reverse("advocacy:candidate_unmerge", args=[999])).status_code == 404


# --- Hide for good -------------------------------------------------------------------------------------


def test_hiding_asks_first_then_hides_for_good_with_who_and_when(brand_terms, ana_client):
    say("@pleasedont", 5)
    url = reverse("advocacy:candidate_hide")
    key = author_key("twitter", "@pleasedont")

    asked = ana_client.post(url, {"candidate": key, "reason": "Asked us by DM"})

    assert asked.status_code == 200
    assert "Hide @pleasedont for good?" in asked.text
    assert ranked() == ["@pleasedont"]

    ana_client.post(url, {"candidate": key, "reason": "Asked us by DM", "confirm": "1"})

    assert ranked() == []
    hidden = AdvocateAuthor.objects.get()
    assert (hidden.handle, hidden.hidden_reason, hidden.hidden_by.email) == (
        "@pleasedont",
        "Asked us by DM",
        "ana.insights@carlssoda.example",
    )
    assert hidden.hidden_at is not None


def test_a_hidden_author_cannot_be_invited_nor_merged_back_into_view(brand_terms):
    say("@pleasedont", 3, channel="twitter")
    say("@pleasedont", 3, channel="reddit")
    twitter, reddit = Channel.objects.get(slug="twitter"), Channel.objects.get(slug="reddit")
    advocate_hide(authors=[(twitter, "@pleasedont")], reason="")

    with pytest.raises(InvitationError, match="asked not to be contacted"):
        invitation_create(email="x@fans.example", discovered_channel=twitter, discovered_handle="@pleasedont")
    assert ranked() == ["@pleasedont"]  # the reddit author is someone else until merged

    advocates_merge(authors=[(twitter, "@pleasedont"), (reddit, "@pleasedont")])
    assert ranked() == []  # one person now, and they asked not to be contacted
    with pytest.raises(InvitationError):
        invitation_create(email="x@fans.example", discovered_channel=reddit, discovered_handle="@pleasedont")


def test_hiding_an_unknown_candidate_hides_nothing(ana_client):
    answer = ana_client.post(
        reverse("advocacy:candidate_hide"), {"candidate": "a:nowhere:@x", "confirm": "1"}, follow=True
    )

    assert "no longer listed" in answer.text
    assert not AdvocateAuthor.objects.exists()


# --- Inviting from discovery, and the marks ------------------------------------------------------------


def test_invite_opens_the_invitation_form_prefilled_and_the_invitation_remembers_the_author(brand_terms, ana_client):
    say("@fizzwhisperer", 4, name="Wren Whisper")
    key = author_key("twitter", "@fizzwhisperer")

    form = ana_client.get(reverse("advocacy:invitations"), {"candidate": key})

    assert form.status_code == 200
    initial = form.context["form"].initial
    assert initial["name"] == "Wren Whisper"
    assert PRAISE in initial["note"]
    assert (initial["discovered_channel"], initial["discovered_handle"]) == ("twitter", "@fizzwhisperer")
    assert "From advocate discovery" in form.text

    sent = ana_client.post(reverse("advocacy:invitations"), {"email": "wren@fans.example", **initial}, follow=True)

    assert "Invitation sent to wren@fans.example" in sent.text
    invitation = Invitation.objects.get(email="wren@fans.example")
    assert (invitation.source, invitation.discovered_channel.slug, invitation.discovered_handle) == (
        "discovery",
        "twitter",
        "@fizzwhisperer",
    )
    assert "From listening" in sent.text


def test_an_invitation_with_half_an_author_is_refused(brand_terms, ana_client):
    answer = ana_client.post(
        reverse("advocacy:invitations"), {"email": "half@fans.example", "discovered_handle": "@someone"}
    )

    assert answer.status_code == 400
    assert "discovered author is incomplete" in answer.text
    assert not Invitation.objects.exists()


def test_marks_follow_the_invitation_from_invited_to_ambassador_and_the_program_counts_it(brand_terms, ana_client):
    say("@fizzwhisperer", 4)
    twitter = Channel.objects.get(slug="twitter")
    _, token = invitation_create(
        email="wren@fans.example", discovered_channel=twitter, discovered_handle="@fizzwhisperer"
    )
    [candidate] = advocate_candidates()
    assert (candidate.invited, candidate.ambassador, candidate.waitlisted) == (True, False, False)
    assert "0 ambassadors came from listening" in ana_client.get(reverse("advocacy:program")).text

    invitation_accept(token=token, name="Wren", password="a long passphrase 42")

    [candidate] = advocate_candidates()
    assert (candidate.invited, candidate.ambassador, candidate.waitlisted) == (False, True, False)
    assert "1 ambassador came from listening" in ana_client.get(reverse("advocacy:program")).text


def test_a_candidate_who_accepted_when_the_program_was_full_is_marked_waitlisted(brand_terms):
    say("@patientfan", 3)
    MembershipFactory()
    Program.objects.filter(pk=1).update(seat_limit=1)
    twitter = Channel.objects.get(slug="twitter")
    _, token = invitation_create(email="pat@fans.example", discovered_channel=twitter, discovered_handle="@patientfan")

    assert invitation_accept(token=token, name="Pat", password="a long passphrase 42").waitlisted

    [candidate] = advocate_candidates()
    assert (candidate.invited, candidate.ambassador, candidate.waitlisted) == (False, False, True)


def test_the_candidates_page_explains_the_score_and_filters_by_channel(brand_terms, ana_client):
    say("@tweeter", 3, channel="twitter")
    say("@redditor", 3, channel="reddit")

    page = ana_client.get(reverse("advocacy:candidates"), {"channel": "reddit"})

    assert page.status_code == 200
    assert "@redditor" in page.text
    assert "@tweeter" not in page.text
    assert "ln(1 + positive mentions)" in page.text


@pytest.mark.parametrize("query", [{"min_positive": "0"}, {"min_positive": "many"}, {"channel": "nowhere"}])
def test_bad_filters_answer_400_with_the_reason(brand_terms, ana_client, query):
    answer = ana_client.get(reverse("advocacy:candidates"), query)

    assert answer.status_code == 400
    assert "is-invalid" in answer.text


def test_the_candidates_page_keeps_to_a_few_queries_however_many_candidates(
    brand_terms, ana_client, django_assert_max_num_queries
):
    for n in range(30):
        say(f"@fan{n}", 3)
    twitter = Channel.objects.get(slug="twitter")
    advocates_merge(authors=[(twitter, "@fan1"), (twitter, "@fan2")])

    with django_assert_max_num_queries(14):
        page = ana_client.get(reverse("advocacy:candidates"))
    assert page.text.count('data-testid="candidate"') == 29


def test_the_whole_ranking_is_cached_until_beat_refreshes_it_and_a_merge_forgets_it_at_once(brand_terms):
    say("@early", 3)
    assert ranked() == ["@early"]
    say("@late", 5)

    assert ranked() == ["@early"]  # the cached ranking: no new scan of every mention per page view
    assert ranked(channel=Channel.objects.get(slug="twitter")) == ["@late", "@early"]  # a filter first asked now

    candidates_refresh_task.delay()

    assert ranked() == ["@late", "@early"]
    say("@later", 3, channel="reddit")
    say("@later", 3, channel="twitter")
    advocates_merge(authors=[(Channel.objects.get(slug=slug), "@later") for slug in ("reddit", "twitter")])
    assert ranked()[0] == "@later"
