import pytest
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_USERS
from accounts.models import User
from advocacy.models import Invitation, Membership
from insights.models import HourlyRollup, Mention, TrackedTerm
from intranet.models import Profile


def test_seed_demo_creates_one_user_per_role_and_prints_logins(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", "--mentions", "300")
    out = capsys.readouterr().out
    assert User.objects.filter(email__in=[d.email for d in DEMO_USERS]).count() == len(DEMO_USERS)
    for demo in DEMO_USERS:
        assert demo.email in out
        assert User.objects.get(email=demo.email).roles == set(demo.roles)
    assert "carls-soda-demo" in out
    assert Mention.objects.count() == 300
    assert TrackedTerm.objects.count() == 8
    assert HourlyRollup.objects.exists()  # the dashboards have numbers at once
    amy = Membership.objects.get(user__email="amy.ambassador@example.net")
    assert amy.status == Membership.Status.ACTIVE
    assert Membership.objects.filter(status="active").count() > 30
    assert set(Invitation.objects.values_list("status", flat=True)) == set(Invitation.Status.values)
    assert Profile.objects.filter(user__email="eli.employee@carlssoda.example", title="Brand coordinator").exists()


def test_seed_demo_twice_changes_nothing(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--mentions", "300")
    before = list(User.objects.order_by("pk").values_list("pk", "email", "password", "name"))
    mentions = Mention.objects.count()
    call_command("seed_demo", "--mentions", "300")
    after = list(User.objects.order_by("pk").values_list("pk", "email", "password", "name"))
    assert before == after
    assert Mention.objects.count() == mentions


def test_seed_demo_refuses_in_production(db):
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", "--mentions", "300")
    assert not User.objects.exists()
