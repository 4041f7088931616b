"""Oversight through the councils' groups: seated members gain their council's permissions and lose them
when they leave; the grants survive every migrate; the staff roles that run the councils hold
`councils.manage_councils`."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role, has_permission, user_roles_forget
from accounts.services import user_grant_roles
from councils.access import can_manage
from councils.models import Council
from councils.services.oversight import OVERSIGHT_PERMISSIONS, council_permissions_sync
from intranet.models import Post
from intranet.tests.post_factories import make_post, person

pytestmark = pytest.mark.django_db


def _names(group: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # no permissions cached on the object


def seat(user: User, kind: str) -> User:
    """What the seating service does to the group: add, then forget the cached roles."""
    Council.objects.get(kind=kind).group.user_set.add(user)
    user_roles_forget(user.pk)
    return _fresh(user)


def unseat(user: User, kind: str) -> User:
    Council.objects.get(kind=kind).group.user_set.remove(user)
    user_roles_forget(user.pk)
    return _fresh(user)


def test_each_council_group_holds_its_oversight_permissions_after_migrate():
    brand, customer = Council.objects.get(kind="brand"), Council.objects.get(kind="customer")
    assert _names(brand.group) == {
        "advocacy.read_program",
        "advocacy.propose_invitation",
        "councils.propose_invitations",
    }
    assert _names(customer.group) == {"intranet.moderate_intranet", "councils.publish_spotlights"}


def test_the_staff_roles_manage_councils_and_other_roles_do_not(role_users):
    for role in (Role.INSIGHTS_STAFF, Role.ADMIN):
        assert "councils.manage_councils" in _names(Group.objects.get(name=role))
    for role in (Role.EMPLOYEE, Role.AMBASSADOR, Role.COUNCIL_MEMBER, Role.EXECUTIVE):
        assert "councils.manage_councils" not in _names(Group.objects.get(name=role))
        assert not can_manage(_fresh(role_users[role]))
    assert can_manage(_fresh(role_users[Role.INSIGHTS_STAFF]))


def test_a_role_group_made_again_later_starts_with_manage_councils(make_user):
    Group.objects.filter(name=Role.INSIGHTS_STAFF).delete()  # as in a flushed database
    staff = make_user("ana.insights")
    assert can_manage(_fresh(staff))
    assert not can_manage(_fresh(make_user("eli.employee")))


def test_a_lost_grant_comes_back_on_the_next_migrate_and_a_rerun_changes_nothing():
    brand = Council.objects.get(kind="brand")
    brand.group.permissions.remove(Permission.objects.get(codename="read_program"))
    call_command("migrate", verbosity=0)  # nothing to migrate: the post_migrate hook still runs
    assert "advocacy.read_program" in _names(brand.group)
    assert council_permissions_sync() == 0
    assert _names(brand.group) == set(OVERSIGHT_PERMISSIONS["brand"])


def test_the_sync_adds_and_never_removes_what_an_admin_granted_besides():
    customer = Council.objects.get(kind="customer")
    extra = Permission.objects.get(codename="manage_ideas", content_type__app_label="intranet")
    customer.group.permissions.set([extra])
    assert council_permissions_sync() == 2
    assert _names(customer.group) == {"intranet.manage_ideas", *OVERSIGHT_PERMISSIONS["customer"]}


def test_a_brand_council_member_reads_the_program_and_proposes_until_they_leave(make_user):
    cole = make_user("cole.council")
    assert not has_permission(_fresh(cole), "advocacy.read_program")
    cole = seat(cole, "brand")
    for permission in OVERSIGHT_PERMISSIONS["brand"]:
        assert has_permission(cole, permission), permission
    assert not has_permission(cole, "advocacy.manage_program")
    assert not has_permission(cole, "intranet.moderate_intranet")  # the other council's
    cole = unseat(cole, "brand")
    assert not any(has_permission(cole, p) for p in OVERSIGHT_PERMISSIONS["brand"])


# --- Customer council: the intranet's moderation -------------------------------------------------


@pytest.fixture
def reported_post():
    author = person("ines.author", "Ines Author")
    return make_post(author, text="Call Dana at 555-0100 for the Portland order.")


def test_a_customer_council_member_moderates_the_intranet(client, reported_post):
    member = seat(person("ravi.council", "Ravi Council"), "customer")
    client.force_login(member)
    assert client.get(reverse("intranet:report_queue")).status_code == 200
    assert client.get(reverse("intranet:feedback_inbox")).status_code == 200
    hide = reverse("intranet:content_hide", kwargs={"kind": "post", "pk": reported_post.pk})
    response = client.post(hide, {"reason": "Shares a phone number"})
    assert response.status_code == 302
    reported_post.refresh_from_db()
    assert reported_post.is_hidden
    assert reported_post.hidden_reason == "Shares a phone number"


def test_a_member_removed_from_the_customer_council_moderates_no_more(client, reported_post):
    member = seat(person("ravi.council", "Ravi Council"), "customer")
    member = unseat(member, "customer")
    client.force_login(member)
    assert client.get(reverse("intranet:report_queue")).status_code == 403
    assert client.get(reverse("intranet:feedback_inbox")).status_code == 403
    hide = reverse("intranet:content_hide", kwargs={"kind": "post", "pk": reported_post.pk})
    assert client.post(hide, {"reason": "Shares a phone number"}).status_code == 403
    assert not Post.objects.get(pk=reported_post.pk).is_hidden


def test_a_brand_council_member_does_not_moderate_the_intranet(client, reported_post):
    member = seat(person("bo.brandonly", "Bo Brandonly"), "brand")
    client.force_login(member)
    assert client.get(reverse("intranet:report_queue")).status_code == 403


def test_grants_are_per_council_not_per_role(make_user):
    """The council_member role alone (no seat) carries no oversight permission."""
    user = make_user(email="noseat@customers.example", roles=[Role.COUNCIL_MEMBER])
    user_grant_roles(user=user, roles=[Role.COUNCIL_MEMBER])
    user = _fresh(user)
    for permissions in OVERSIGHT_PERMISSIONS.values():
        assert not any(has_permission(user, p) for p in permissions)


def test_the_demo_seed_grants_and_proposes_once(make_user):
    from advocacy.models import InvitationProposal
    from councils.demo import demo_oversight_seed

    make_user("cole.council")
    Council.objects.get(kind="brand").group.permissions.clear()
    assert demo_oversight_seed() == {"oversight_permissions_added": 3, "invitation_proposals": 1}
    assert demo_oversight_seed() == {"oversight_permissions_added": 0, "invitation_proposals": 0}
    assert InvitationProposal.objects.get().status == InvitationProposal.Status.PENDING


def test_a_brand_council_member_sees_the_program_read_only_and_cannot_write(client, make_user):
    cole = seat(make_user("cole.council"), "brand")
    client.force_login(cole)
    page = client.get(reverse("advocacy:program"))
    assert page.status_code == 200
    assert 'data-testid="read-only"' in page.content.decode()
    assert client.get(reverse("advocacy:proposals")).status_code == 200
    assert client.post(reverse("advocacy:invitations"), {"email": "x@customers.example"}).status_code == 403
    cole = unseat(cole, "brand")
    client.force_login(cole)
    assert client.get(reverse("advocacy:program")).status_code == 403
    assert client.get(reverse("advocacy:proposals")).status_code == 403


def test_a_flushed_database_gets_the_councils_and_their_grants_back_on_migrate():
    Council.objects.all().delete()
    Group.objects.filter(name__endswith="Advisory Council").delete()
    call_command("migrate", verbosity=0)  # as after a flush: post_migrate remakes them
    assert sorted(Council.objects.values_list("kind", flat=True)) == ["brand", "customer"]
    for council in Council.objects.all():
        assert council.seats.count() == 6
        assert _names(council.group) == set(OVERSIGHT_PERMISSIONS[council.kind])


def test_a_customer_on_the_customer_council_holds_the_permission_but_the_intranet_stays_closed(client, make_user):
    """Its two brand advocates are customers (ambassadors): the intranet is for employees only (DESIGN.md),
    so the group's moderation permission opens nothing to them."""
    cole = seat(make_user("cole.council"), "customer")
    assert has_permission(cole, "intranet.moderate_intranet")
    client.force_login(cole)
    assert client.get(reverse("intranet:report_queue")).status_code == 403
    assert client.get(reverse("intranet:feedback_inbox")).status_code == 403
