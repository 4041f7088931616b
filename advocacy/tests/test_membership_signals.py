"""A membership that ends tells whoever listens (a council seat falls vacant): advocacy.signals.membership_ended."""

import pytest
from django.db import transaction

from advocacy.models import MembershipEvent
from advocacy.services.membership import membership_end, membership_pause
from advocacy.services.privacy import member_erase
from advocacy.signals import membership_ended
from advocacy.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def listener(sender, *, membership, user, kind, reason, **kwargs):
        calls.append((membership.pk, user.pk, kind, reason))

    membership_ended.connect(listener)
    yield calls
    membership_ended.disconnect(listener)


def test_ending_a_membership_is_announced_once_the_transaction_commits(heard, django_capture_on_commit_callbacks):
    member = MembershipFactory()

    with django_capture_on_commit_callbacks(execute=True):
        membership_end(membership=member, kind=MembershipEvent.Kind.REMOVED, reason="Spam posts")
        assert heard == []  # not before the commit

    assert heard == [(member.pk, member.user_id, "removed", "Spam posts")]


def test_a_rolled_back_ending_and_a_pause_announce_nothing(heard, django_capture_on_commit_callbacks):
    member, other = MembershipFactory(), MembershipFactory()

    @transaction.atomic
    def end_then_fail():
        membership_end(membership=member, kind=MembershipEvent.Kind.LEFT)
        raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True):
        membership_pause(membership=other)
        with pytest.raises(RuntimeError):
            end_then_fail()

    assert heard == []


def test_erasure_announces_the_seat_freed_and_the_erasure(heard, django_capture_on_commit_callbacks):
    member = MembershipFactory()

    with django_capture_on_commit_callbacks(execute=True):
        member_erase(membership=member)

    assert [kind for _, _, kind, _ in heard] == ["left", "erased"]
    assert {membership for membership, _, _, _ in heard} == {member.pk}
