from django.contrib.auth.models import Permission

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from intranet.idea_services import idea_submit


def employee(**fields):
    return UserFactory(roles=(Role.EMPLOYEE,), **fields)


def idea_manager(**fields):
    """An employee holding intranet.manage_ideas."""
    user = employee(**fields)
    user.user_permissions.add(Permission.objects.get(codename="manage_ideas", content_type__app_label="intranet"))
    return type(user).objects.get(pk=user.pk)  # a fresh object: no cached permissions


def make_idea(author=None, title="A vending machine with sugar-free cherry fizz", **fields):
    fields.setdefault("description", "On every floor, please.")
    return idea_submit(author=author or employee(), title=title, **fields)[0]
