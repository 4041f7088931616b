import pytest
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_USERS
from accounts.models import User


def test_seed_demo_creates_one_user_per_role_and_prints_logins(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert User.objects.count() == len(DEMO_USERS)
    for demo in DEMO_USERS:
        assert demo.email in out
        assert User.objects.get(email=demo.email).roles == set(demo.roles)
    assert "carls-soda-demo" in out


def test_seed_demo_twice_changes_nothing(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    before = list(User.objects.order_by("pk").values_list("pk", "email", "password", "name"))
    call_command("seed_demo")
    after = list(User.objects.order_by("pk").values_list("pk", "email", "password", "name"))
    assert before == after


def test_seed_demo_refuses_in_production(db):
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not User.objects.exists()
