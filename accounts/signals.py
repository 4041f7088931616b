"""Keep cached roles right when group memberships change (admin, services, shell)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from accounts.roles import user_roles_forget

User = get_user_model()


@receiver(m2m_changed, sender=User.groups.through)
def forget_roles_on_group_change(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:  # user.groups.add/remove/clear
        user_roles_forget(instance.pk)
    elif action == "pre_clear":  # group.user_set.clear(): the members are known only before
        user_roles_forget(*instance.user_set.values_list("pk", flat=True))
    elif pk_set:  # group.user_set.add/remove
        user_roles_forget(*pk_set)
