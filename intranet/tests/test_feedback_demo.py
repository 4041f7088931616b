from datetime import date

import pytest
import time_machine

from accounts.services import demo_departments_seed
from intranet.demo import demo_feedback_seed
from intranet.feedback_selectors import pulse_trend
from intranet.models import Feedback, PulseParticipation, PulseResponse

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-26 12:00 -05:00")
def test_demo_feedback_and_four_quarters_of_pulse_seed_once(make_user):
    make_user("eli.employee")
    demo_departments_seed()  # the demo colleagues
    assert demo_feedback_seed() == {"feedback": 8, "pulse_answers": 36}
    assert demo_feedback_seed() == {"feedback": 0, "pulse_answers": 0}
    assert Feedback.objects.filter(anonymous=True, author__isnull=True).count() == 4
    assert Feedback.objects.exclude(answer="").count() == 2
    assert PulseParticipation.objects.count() == PulseResponse.objects.count() == 36
    trend = pulse_trend(start=date(2025, 10, 1), end=date(2026, 11, 26))
    assert [q.quarter for q in trend] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert all(q.overall.responses == 9 for q in trend)
    assert trend[0].overall.enps < trend[-1].overall.enps  # things got better
