"""Rough figures for the meetings part: scheduling, the .ics, the meeting page, reminders for 200 meetings.

Run against a migrated scratch database (it writes bench.* people and 200 meetings), not a real one:
    DATABASE_URL=postgres://…/scratch DEBUG=1 SECRET_KEY=x python manage.py migrate
    DATABASE_URL=postgres://…/scratch DEBUG=1 SECRET_KEY=x python manage.py shell < councils/tests/measure_meetings.py
"""

import statistics
import time
from datetime import date, timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone

settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
settings.ALLOWED_HOSTS = ["*"]
from accounts.services import user_create  # noqa: E402
from councils.models import Council, Meeting  # noqa: E402
from councils.selectors.meetings import meeting_ics  # noqa: E402
from councils.services.meetings import action_item_add, meeting_reminders_send, meeting_schedule  # noqa: E402
from councils.tests.fixtures_meetings import seat  # noqa: E402

council = Council.objects.get(kind="customer")
manager = user_create(
    email="bench.manager@carlssoda.example", password="x" * 12, name="Bench Manager", roles=["insights_staff"]
)
execs = [
    user_create(email=f"bench.exec{n}@carlssoda.example", password=None, name=f"Exec {n}", roles=["executive"])
    for n in range(2)
]
for n in range(4):
    seat(
        user_create(email=f"bench.member{n}@carlssoda.example", password=None, name=f"Member {n}", roles=["employee"]),
        council,
    )
start = timezone.localtime(timezone.now() + timedelta(days=6)).replace(tzinfo=None, microsecond=0)
t0 = time.perf_counter()
for n in range(200):
    meeting_schedule(
        council=council,
        title=f"Bench {n}",
        starts_at=start + timedelta(minutes=n),
        duration=timedelta(hours=1),
        place="Room",
        executives=execs,
        by=manager,
        notify_attendees=False,
    )
print(f"schedule 200 meetings (6 attendees each): {time.perf_counter() - t0:.2f} s")
m = Meeting.objects.filter(title="Bench 0").get()
for n in range(30):
    action_item_add(meeting=m, title=f"Item {n}", owner=execs[0], due_on=date.today() + timedelta(days=9), by=manager)
times = []
for _ in range(50):
    t = time.perf_counter()
    meeting_ics(meeting=m)
    times.append(time.perf_counter() - t)
print(f".ics build: median {statistics.median(times) * 1000:.1f} ms")
c = Client()
c.force_login(manager)
c.get(f"/councils/meetings/{m.pk}/")
times = []
for _ in range(50):
    t = time.perf_counter()
    r = c.get(f"/councils/meetings/{m.pk}/")
    times.append(time.perf_counter() - t)
    assert r.status_code == 200
times.sort()
p95 = times[int(len(times) * 0.95) - 1]
print(f"meeting page (6 attendees, 30 items): median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
t0 = time.perf_counter()
sent = meeting_reminders_send()
elapsed = time.perf_counter() - t0
print(f"week reminders for 200 meetings: {sent} emails in {elapsed:.2f} s; again: {meeting_reminders_send()}")
