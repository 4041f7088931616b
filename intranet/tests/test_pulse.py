"""The quarterly eNPS pulse: once per employee per quarter (the organisation's), kept apart from who answered,
and the trend with small groups hidden; and GET /api/v1/pulse."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Department
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from intranet.feedback_selectors import pulse_comments, pulse_trend, quarter_bounds, quarter_of, quarters_between
from intranet.feedback_services import pulse_answer
from intranet.models import PulseParticipation, PulseResponse
from intranet.tests.factories import employee

pytestmark = pytest.mark.django_db

PULSE = reverse("intranet:pulse")
API = "/api/v1/pulse"


@pytest.fixture
def bottling(db):
    return Department.objects.create(slug="bottling", name="Bottling")


def _answers(quarter_day: date, scores, department=None, comment=""):
    for score in scores:
        assert pulse_answer(user=employee(), score=score, department=department, today=quarter_day, comment=comment)


def test_quarters_are_the_calendar_quarters():
    assert quarter_of(date(2026, 12, 31)) == "2026-Q4"
    assert quarter_bounds("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_bounds("2024-Q1") == (date(2024, 1, 1), date(2024, 3, 31))
    assert quarters_between(date(2025, 12, 31), date(2026, 4, 1)) == ["2025-Q4", "2026-Q1", "2026-Q2"]


@time_machine.travel("2027-01-01 03:30 +00:00")  # still New Year's Eve in the organisation's New York
def test_the_quarter_is_the_organisations(client, settings):
    settings.TIME_ZONE = "America/New_York"
    client.force_login(employee())
    client.post(PULSE, {"score": "9"})
    assert PulseResponse.objects.get().quarter == "2026-Q4"
    assert PulseResponse.objects.get().created_on == date(2026, 10, 1)  # the quarter's first day, not the day


def test_an_employee_answers_once_a_quarter_and_nothing_links_the_answer_to_them(client, bottling):
    eli = employee()
    client.force_login(eli)
    answer = client.post(PULSE, {"score": "10", "comment": "Great team.", "department": bottling.pk}, follow=True)
    assert "your answer for" in answer.content.decode()
    assert "You answered the pulse for" in answer.content.decode()
    again = client.post(PULSE, {"score": "0"}, follow=True)
    assert "You had answered the pulse for" in again.content.decode()
    response = PulseResponse.objects.get()
    assert (response.score, response.comment, response.department) == (10, "Great team.", bottling)
    assert {f.name for f in PulseResponse._meta.get_fields()} == {
        "id",
        "quarter",
        "score",
        "comment",
        "department",
        "created_on",
    }
    assert PulseParticipation.objects.get().user == eli


def test_a_retry_of_the_service_neither_double_counts_nor_loses_the_answer():
    eli = employee()
    assert pulse_answer(user=eli, score=8) is True
    assert pulse_answer(user=eli, score=8) is False
    assert (PulseResponse.objects.count(), PulseParticipation.objects.count()) == (1, 1)


def test_a_failure_writes_neither_row_so_the_answer_can_be_given_again():
    eli = employee()
    gone = Department(slug="gone", name="Gone")  # never saved: writing the answer fails after the participation
    with pytest.raises(ValueError, match="unsaved related object"):
        pulse_answer(user=eli, score=7, department=gone)
    assert not PulseParticipation.objects.exists()
    assert not PulseResponse.objects.exists()
    assert pulse_answer(user=eli, score=7) is True


def test_bad_scores_are_refused(client):
    for score in (-1, 11, True, "7"):
        with pytest.raises(ValidationError):
            pulse_answer(user=employee(), score=score)
    client.force_login(employee())
    answer = client.post(PULSE, {"score": "11"})
    assert answer.status_code == 400
    assert "Select a valid choice" in answer.content.decode()
    assert not PulseResponse.objects.exists()


def test_enps_and_the_trend_hide_small_departments_and_the_quarter_in_progress(bottling):
    sales = Department.objects.create(slug="sales", name="Sales")
    q1 = date(2026, 2, 10)
    _answers(q1, [10, 9, 9, 8, 3, 6], department=bottling)  # 3 promoters, 1 passive, 2 detractors
    _answers(q1, [10, 10, 10, 10, 10], department=sales)
    _answers(q1, [0, 2], department=None)
    _answers(date(2026, 5, 1), [10] * 7, department=sales)  # the quarter in progress
    trend = pulse_trend(start=date(2026, 1, 1), end=date(2026, 6, 30), today=date(2026, 5, 2))
    assert [q.quarter for q in trend] == ["2026-Q1"]
    q = trend[0]
    assert (q.overall.responses, q.overall.promoters, q.overall.passives, q.overall.detractors) == (13, 8, 1, 4)
    assert q.overall.enps == round(100 * (8 - 4) / 13)
    by = {group.label: group for group in q.departments}
    assert by["Bottling"].responses == 6
    assert by["Bottling"].enps == round(100 * (3 - 2) / 6)
    assert by["Not stated"].responses is None  # 2 answers
    assert by["Sales"].responses is None  # 13 − 6 would give "not stated" away
    assert by["Sales"].enps is None


def test_comments_show_only_for_a_finished_quarter_of_five_answers_or_more():
    _answers(date(2026, 2, 10), [9, 9, 9, 9], comment="Love the new canteen.")
    assert pulse_comments(quarter="2026-Q1", today=date(2026, 5, 1)) == []
    _answers(date(2026, 2, 11), [5])
    assert pulse_comments(quarter="2026-Q1", today=date(2026, 5, 1)) == ["Love the new canteen."] * 4
    assert pulse_comments(quarter="2026-Q1", today=date(2026, 3, 1)) == []


@time_machine.travel("2026-05-04 12:00 -04:00")
def test_the_pulse_page_shows_the_trend_of_finished_quarters(client):
    _answers(date(2026, 2, 10), [10, 10, 10, 2, 8])
    client.force_login(employee())
    page = client.get(PULSE).content.decode()
    assert "2026-Q1" in page
    assert "data-enps>40<" in page
    assert "How likely are you to recommend Carl" in page


# --- GET /api/v1/pulse ------------------------------------------------------------------------------


@time_machine.travel("2026-11-26 12:00 -05:00")
def test_the_api_gives_whole_finished_quarters_with_small_groups_hidden(api_client, bottling):
    _answers(date(2026, 4, 3), [10, 10, 9, 7, 1], department=bottling)
    _answers(date(2026, 5, 3), [6, 3], department=None)
    _answers(date(2026, 11, 3), [10] * 6)  # in progress
    body = api_client("intranet:read").get(API, {"start": "2026-06-30", "end": "2026-12-31"})
    assert body.status_code == 200
    data = body.json()
    assert data["min_group"] == 5
    assert [q["quarter"] for q in data["quarters"]] == ["2026-Q2", "2026-Q3"]
    q2 = data["quarters"][0]
    assert (q2["start"], q2["end"]) == ("2026-04-01", "2026-06-30")
    assert (q2["responses"], q2["promoters"], q2["passives"], q2["detractors"], q2["enps"], q2["hidden"]) == (
        7,
        3,
        1,
        3,
        0,
        False,
    )
    departments = {d["department"]: d for d in q2["departments"]}
    # Bottling's 5 would give away "not stated"'s 2 (7 − 5): both hidden
    assert departments["bottling"] == {
        "department": "bottling",
        "responses": None,
        "promoters": None,
        "passives": None,
        "detractors": None,
        "enps": None,
        "hidden": True,
    }
    assert departments[None]["hidden"] is True
    q3 = data["quarters"][1]
    assert (q3["responses"], q3["hidden"]) == (None, True)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({}, "start", "This field is required."),
        ({"start": "2026-13-01", "end": "2026-12-31"}, "start", "Date has wrong format"),
        ({"start": "yesterday", "end": "2026-12-31"}, "start", "Date has wrong format"),
        ({"start": "2026-12-31", "end": "2026-01-01"}, "end", "Must be on or after start."),
        ({"start": "0001-01-01", "end": "2026-01-01"}, "start", "Must be between 1900-01-01 and 2200-12-31."),
    ],
)
def test_bad_dates_are_a_400_with_a_clear_message(api_client, query, field, message):
    answer = api_client("intranet:read").get(API, query)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert message in str(error["details"][field])


def test_keys_without_the_scope_and_people_who_are_not_employees_are_refused(api_client):
    query = {"start": "2026-01-01", "end": "2026-12-31"}
    assert api_client("mentions:read").get(API, query).status_code == 403
    assert APIClient().get(API, query).status_code == 401
    for role in (Role.AMBASSADOR, Role.EXECUTIVE, Role.INSIGHTS_STAFF):
        client = APIClient()
        client.force_login(UserFactory(roles=(role,)))
        assert client.get(API, query).status_code == 403
    client = APIClient()
    client.force_login(employee())
    assert client.get(API, query).status_code == 200


def test_the_operation_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/pulse"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"start", "end"}
    assert "hidden" in operation["responses"]["200"]["description"]


@time_machine.travel("2026-05-04 12:00 -04:00")
def test_a_department_lead_sees_their_departments_rows_with_small_groups_hidden(client, bottling):
    lead, sales_lead = employee(), employee()
    Department.objects.filter(pk=bottling.pk).update(lead=lead)
    sales = Department.objects.create(slug="sales", name="Sales", lead=sales_lead)
    _answers(date(2026, 2, 10), [10, 10, 10, 10, 2, 2], department=bottling)
    _answers(date(2026, 2, 10), [9, 9], department=sales)
    _answers(date(2026, 2, 10), [9, 9, 9], department=None)
    client.force_login(lead)
    page = client.get(PULSE).content.decode()
    led = page[page.index('id="pulse-led"') :]
    assert "Bottling" in led
    assert "data-enps>33<" in led  # (4 − 2) / 6
    assert "Sales" not in led
    client.force_login(sales_lead)
    led = client.get(PULSE).content.decode().split('id="pulse-led"')[1]
    assert "Sales" in led
    assert "data-hidden>hidden<" in led  # 2 answers
    client.force_login(employee())
    assert 'id="pulse-led"' not in client.get(PULSE).content.decode()
