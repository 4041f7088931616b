from django.db import migrations

# The channels every deployment starts with; admins add more. Frozen here on purpose.
CHANNELS = [
    ("twitter", "X / Twitter", "online"),
    ("facebook", "Facebook", "online"),
    ("instagram", "Instagram", "online"),
    ("reddit", "Reddit", "online"),
    ("youtube", "YouTube", "online"),
    ("tiktok", "TikTok", "online"),
    ("linkedin", "LinkedIn", "online"),
    ("blog", "Blogs", "online"),
    ("news", "News", "online"),
    ("review-site", "Review sites", "online"),
    ("forum", "Forums", "online"),
    ("call-centre", "Call centre", "offline"),
    ("email", "Email", "offline"),
    ("event", "Events", "offline"),
    ("store-visit", "Store visits", "offline"),
    ("survey", "Surveys", "offline"),
]


def add_channels(apps, schema_editor):
    Channel = apps.get_model("insights", "Channel")
    for slug, name, kind in CHANNELS:
        Channel.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]

    operations = [migrations.RunPython(add_channels, migrations.RunPython.noop)]
