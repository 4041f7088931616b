from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # a new object, as the next request would load


def test_a_role_given_in_the_admin_applies_at_once(make_user):
    eli = make_user("eli.employee")
    assert fresh(eli).roles == {Role.EMPLOYEE}
    Group.objects.get(name=Role.EXECUTIVE).user_set.add(eli)
    assert fresh(eli).roles == {Role.EMPLOYEE, Role.EXECUTIVE}


def test_a_role_taken_away_is_gone_at_once(make_user):
    eli = make_user("eli.employee")
    assert fresh(eli).has_role(Role.EMPLOYEE)
    eli.groups.clear()
    assert not fresh(eli).has_role(Role.EMPLOYEE)


def test_emptying_a_group_removes_its_role_from_every_member(make_user):
    eli = make_user("eli.employee")
    ana = make_user(email="second.employee@carlssoda.example", roles=[Role.EMPLOYEE])
    assert fresh(eli).roles == fresh(ana).roles == {Role.EMPLOYEE}
    Group.objects.get(name=Role.EMPLOYEE).user_set.clear()
    assert fresh(eli).roles == fresh(ana).roles == frozenset()


def test_admins_pass_every_role_check(make_user):
    ada = make_user("ada.admin")
    assert fresh(ada).has_role(Role.AMBASSADOR)
    assert fresh(ada).has_role(Role.INSIGHTS_STAFF)


def test_roles_cost_no_query_once_cached(make_user, django_assert_num_queries):
    eli = make_user("eli.employee")
    fresh(eli).roles  # noqa: B018 - warms the cache
    user = fresh(eli)
    with django_assert_num_queries(0):
        assert user.roles == {Role.EMPLOYEE}
