"""Oversight: what each council's group may do beyond the councils' own pages.

Seated members are in their council's group (`Council.group`, kept by the seating service); the group
carries these permissions, so a member gains them when seated and loses them when their term ends:

- Brand Advisory Council: the ambassador program's pages read-only (`advocacy.read_program`) and
  proposing invitations that a program manager confirms (`advocacy.propose_invitation`, and the
  councils' own `councils.propose_invitations`).
- Customer Advisory Council: the intranet's moderation (`intranet.moderate_intranet`) and publishing
  employee spotlights (`councils.publish_spotlights`).

Migration 0003 grants them once; `council_permissions_sync` (run after every migrate, see
councils.apps) adds any that are missing, so a new or flushed installation gets them too.
"""

from django.contrib.auth.models import Permission
from django.db import transaction

from accounts.roles import user_roles_forget
from councils.models import Council

OVERSIGHT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Council.Kind.BRAND: ("advocacy.read_program", "advocacy.propose_invitation", "councils.propose_invitations"),
    Council.Kind.CUSTOMER: ("intranet.moderate_intranet", "councils.publish_spotlights"),
}


def _permissions(names) -> list[Permission]:
    wanted = [name.split(".", 1) for name in names]
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[codename for _, codename in wanted]
        )
    }
    return [found[(app_label, codename)] for app_label, codename in wanted if (app_label, codename) in found]


def council_permissions_sync() -> int:
    """Give each council's group its oversight permissions (adds only, never removes). Returns how many
    were missing. Safe to run any number of times; the members' cached permissions are forgotten."""
    added = 0
    with transaction.atomic():
        for council in Council.objects.select_related("group"):
            group = council.group
            held = set(group.permissions.values_list("pk", flat=True))
            missing = [p for p in _permissions(OVERSIGHT_PERMISSIONS.get(council.kind, ())) if p.pk not in held]
            if missing:
                group.permissions.add(*missing)
                added += len(missing)
                user_roles_forget(*group.user_set.values_list("pk", flat=True))
    return added
