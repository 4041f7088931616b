"""Ideas (IdeaStorm): votes, status workflow, merges, ordering and the pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from intranet.idea_selectors import ideas_list
from intranet.idea_services import (
    IdeaClosed,
    IdeaMergeRefused,
    IdeaNotAllowed,
    IdeaReasonRequired,
    idea_comment,
    idea_merge,
    idea_status_set,
    idea_submit,
    idea_unvote,
    idea_vote,
)
from intranet.models import Idea, IdeaEvent, IdeaVote
from intranet.tests.factories import employee, idea_manager, make_idea

pytestmark = pytest.mark.django_db


def count(idea):
    idea.refresh_from_db()
    return idea.vote_count


def test_a_vote_counts_once_and_can_be_taken_back():
    idea, voter = make_idea(), employee()
    assert idea_vote(idea=idea, voter=voter) is True
    assert idea_vote(idea=idea, voter=voter) is False
    assert count(idea) == 1
    assert idea_unvote(idea=idea, voter=voter) is True
    assert idea_unvote(idea=idea, voter=voter) is False
    assert count(idea) == 0
    assert not IdeaVote.objects.exists()


def test_a_retried_submission_returns_the_first_idea():
    author = employee()
    first, created = idea_submit(author=author, title="Refill stations", description="x")
    again, created_again = idea_submit(author=author, title="refill stations ", description="x")
    assert created
    assert not created_again
    assert again.pk == first.pk


@pytest.mark.parametrize(
    "fields",
    [{"title": " "}, {"title": "x" * 201}, {"description": ""}, {"category": "nope"}, {"title": "a\x00b"}],
)
def test_bad_submissions_are_refused_and_nothing_is_written(fields):
    with pytest.raises(ValidationError):
        idea_submit(author=employee(), **{"title": "T", "description": "D", **fields})
    assert not Idea.objects.exists()


def test_a_status_change_notifies_voters_and_author_but_not_who_made_it():
    author, voters, manager = employee(), [employee(), employee()], idea_manager()
    idea = make_idea(author)
    for voter in voters:
        idea_vote(idea=idea, voter=voter)
    idea_vote(idea=idea, voter=manager)
    idea_status_set(idea=idea, status="planned", by=manager, response="We order the machines in May.")
    idea.refresh_from_db()
    assert (idea.status, idea.owner, idea.responded_by) == ("planned", manager, manager)
    notified = set(Notification.objects.values_list("user_id", flat=True))
    assert notified == {author.pk, *(v.pk for v in voters)}
    url = f"/intranet/ideas/{idea.pk}/"
    assert Notification.objects.filter(user=author, text__contains="planned", url=url).exists()
    assert IdeaEvent.objects.get(idea=idea).to_status == "planned"


def test_declining_needs_a_reason_and_only_managers_or_the_owner_decide():
    idea, manager, someone = make_idea(), idea_manager(), employee()
    with pytest.raises(IdeaNotAllowed):
        idea_status_set(idea=idea, status="planned", by=someone)
    with pytest.raises(IdeaNotAllowed):
        idea_status_set(idea=idea, status="planned", by=idea.author)  # the author is not its owner
    with pytest.raises(IdeaReasonRequired):
        idea_status_set(idea=idea, status="declined", by=manager, reason="  ")
    assert Idea.objects.get(pk=idea.pk).status == "new"
    idea_status_set(idea=idea, status="under_review", by=manager)
    owner = Idea.objects.get(pk=idea.pk).owner
    idea_status_set(idea=Idea.objects.get(pk=idea.pk), status="declined", by=owner, reason="Budget is spent.")
    idea.refresh_from_db()
    assert (idea.status, idea.decline_reason) == ("declined", "Budget is spent.")


def test_merge_moves_votes_without_counting_anyone_twice():
    manager = idea_manager()
    duplicate, target = make_idea(title="Cherry fizz machine"), make_idea(title="Sugar-free vending")
    both, only_dup, only_target = employee(), employee(), employee()
    for voter in (both, only_dup):
        idea_vote(idea=duplicate, voter=voter)
    for voter in (both, only_target):
        idea_vote(idea=target, voter=voter)
    idea_merge(idea=duplicate, into=target, by=manager)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == target
    assert duplicate.vote_count == 0
    assert count(target) == 3
    assert set(IdeaVote.objects.values_list("idea_id", "voter_id")) == {
        (target.pk, both.pk),
        (target.pk, only_dup.pk),
        (target.pk, only_target.pk),
    }
    assert Notification.objects.filter(user=duplicate.author, text__contains="merged").exists()
    with pytest.raises(IdeaClosed):
        idea_vote(idea=duplicate, voter=employee())
    assert duplicate not in ideas_list(sort="top")


def test_merge_into_itself_or_back_into_a_merged_one_is_refused():
    manager = idea_manager()
    a, b, c = make_idea(title="A"), make_idea(title="B"), make_idea(title="C")
    with pytest.raises(IdeaMergeRefused, match="itself"):
        idea_merge(idea=a, into=a, by=manager)
    idea_merge(idea=a, into=b, by=manager)
    with pytest.raises(IdeaMergeRefused, match="cycle"):
        idea_merge(idea=b, into=Idea.objects.get(pk=a.pk), by=manager)
    with pytest.raises(IdeaMergeRefused):
        idea_merge(idea=c, into=Idea.objects.get(pk=a.pk), by=manager)
    with pytest.raises(IdeaNotAllowed):
        idea_merge(idea=c, into=b, by=employee())
    assert Idea.objects.get(pk=b.pk).merged_into is None


def test_hot_top_and_new_orders():
    now = timezone.now()
    old_popular, fresh_some, newest = make_idea(title="Old"), make_idea(title="Fresh"), make_idea(title="Newest")
    Idea.objects.filter(pk=old_popular.pk).update(created_at=now - timedelta(days=30), vote_count=20)
    Idea.objects.filter(pk=fresh_some.pk).update(created_at=now - timedelta(hours=3), vote_count=3)
    Idea.objects.filter(pk=newest.pk).update(created_at=now - timedelta(hours=1), vote_count=0)
    assert [i.title for i in ideas_list(sort="top")] == ["Old", "Fresh", "Newest"]
    assert [i.title for i in ideas_list(sort="new")] == ["Newest", "Fresh", "Old"]
    assert [i.title for i in ideas_list(sort="hot", now=now)] == ["Fresh", "Old", "Newest"]


def test_the_pages_submit_vote_unvote_and_comment(client, login):
    login(client, "eli.employee")
    response = client.post(
        reverse("intranet:idea_new"),
        {"title": "<script>alert(1)</script>Lemon", "description": "<b>bold</b>", "category": "product"},
    )
    idea = Idea.objects.get()
    assert response.url == reverse("intranet:idea_detail", args=[idea.pk])
    page = client.get(response.url).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Lemon" in page
    assert "<b>bold</b>" not in page
    client.post(reverse("intranet:idea_vote", args=[idea.pk]))
    client.post(reverse("intranet:idea_vote", args=[idea.pk]))
    assert count(idea) == 1
    assert "Take my vote back" in client.get(response.url).content.decode()
    client.post(reverse("intranet:idea_vote", args=[idea.pk]), {"action": "unvote"})
    assert count(idea) == 0
    assert client.post(reverse("intranet:idea_comment", args=[idea.pk]), {"text": ""}).status_code == 400
    client.post(reverse("intranet:idea_comment", args=[idea.pk]), {"text": "Yes <i>please</i>"})
    assert "Yes &lt;i&gt;please&lt;/i&gt;" in client.get(response.url).content.decode()
    listing = client.get(reverse("intranet:ideas"), {"sort": "top", "category": "product", "status": "bogus"})
    assert listing.status_code == 200
    assert "&lt;script&gt;" in listing.content.decode()
    assert "Lemon" in client.get(reverse("intranet:home")).content.decode()


def test_the_status_and_merge_forms_are_for_managers(client, login):
    idea, other = make_idea(title="Stand-up desks"), make_idea(title="Standing desks")
    login(client, "eli.employee")
    assert "Save the status" not in client.get(reverse("intranet:idea_detail", args=[idea.pk])).content.decode()
    url = reverse("intranet:idea_status", args=[idea.pk])
    assert client.post(url, {"status": "planned"}).status_code == 403
    assert client.post(reverse("intranet:idea_merge", args=[idea.pk]), {"into": other.pk}).status_code == 403
    manager = idea_manager()
    client.force_login(manager)
    assert "Save the status" in client.get(reverse("intranet:idea_detail", args=[idea.pk])).content.decode()
    response = client.post(url, {"status": "declined", "reason": ""})
    assert response.status_code == 400
    assert "reason is required" in response.content.decode()
    response = client.post(reverse("intranet:idea_merge", args=[idea.pk]), {"into": idea.pk})
    assert response.status_code == 400
    assert "itself" in response.content.decode()
    response = client.post(reverse("intranet:idea_merge", args=[idea.pk]), {"into": other.pk})
    assert response.url == reverse("intranet:idea_detail", args=[other.pk])
    page = client.get(reverse("intranet:idea_detail", args=[idea.pk])).content.decode()
    assert "was merged into" in page


def test_a_comment_is_stored_cleaned():
    comment = idea_comment(idea=make_idea(), author=employee(), text="  Good one  ")
    assert comment.text == "Good one"
