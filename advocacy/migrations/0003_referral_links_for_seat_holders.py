"""Referral links used to be made when a page first showed them; services make them now (a member
joins, a kit is saved). This gives every seat holder the link they would have got on their next visit."""

import secrets
import string

from django.db import migrations
from django.utils import timezone

ALPHABET = string.ascii_letters + string.digits


def links_for_seat_holders(apps, schema_editor):
    Kit = apps.get_model("advocacy", "Kit")
    Membership = apps.get_model("advocacy", "Membership")
    ReferralLink = apps.get_model("advocacy", "ReferralLink")
    kits = list(Kit.objects.filter(ends_on__gte=timezone.localdate()).values_list("pk", flat=True))
    members = list(Membership.objects.filter(status__in=["active", "paused"]).values_list("pk", flat=True))
    have = set(ReferralLink.objects.filter(kit_id__in=kits).values_list("membership_id", "kit_id"))
    taken = set(ReferralLink.objects.values_list("code", flat=True))
    new = []
    for member in members:
        for kit in kits:
            if (member, kit) in have:
                continue
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
            while code in taken:
                code = "".join(secrets.choice(ALPHABET) for _ in range(8))
            taken.add(code)
            new.append(ReferralLink(membership_id=member, kit_id=kit, code=code))
    ReferralLink.objects.bulk_create(new, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("advocacy", "0002_program_and_managers")]

    operations = [migrations.RunPython(links_for_seat_holders, migrations.RunPython.noop)]
