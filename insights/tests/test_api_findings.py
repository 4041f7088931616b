"""GET/POST /api/v1/findings and GET/PATCH /api/v1/findings/{id}: the contract of issue 12."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Notification
from insights.models import Finding, FindingEvent, Mention
from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db

BODY = {
    "title": "Dented cans in the north",
    "summary": "Forty mentions say the cans arrive dented.",
    "recommended_action": "Check the packaging with the carrier.",
    "departments": ["customer-service", "pr"],
    "priority": "high",
    "due": "2031-03-01",
}


@pytest.fixture
def writer(api_client, teams):
    return api_client("findings:read", "findings:write")


def test_post_creates_a_finding_and_answers_its_id_and_status(writer, teams):
    TermFactory()
    mentions_ingest([item(1), item(2)])
    ids = sorted(Mention.objects.values_list("pk", flat=True))
    response = writer.post("/api/v1/findings", BODY | {"mentions": ids})
    assert response.status_code == 201, response.content
    body = response.json()
    finding = Finding.objects.get()
    assert body["id"] == finding.pk
    assert body["status"] == "new"
    assert sorted(body["departments"]) == ["customer-service", "pr"]
    assert body["mentions"] == ids
    assert (body["priority"], body["due"], body["overdue"]) == ("high", "2031-03-01", False)
    assert Notification.objects.count() == 2
    created = finding.events.get()
    assert created.by is None
    assert writer.api_key.prefix in created.via


def test_a_retried_post_with_the_same_idempotency_key_creates_nothing(writer, teams):
    first = writer.post("/api/v1/findings", BODY, HTTP_IDEMPOTENCY_KEY="batch-7")
    again = writer.post("/api/v1/findings", BODY, HTTP_IDEMPOTENCY_KEY="batch-7")
    other = writer.post("/api/v1/findings", BODY, HTTP_IDEMPOTENCY_KEY="batch-8")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["id"] == first.json()["id"] != other.json()["id"]
    assert Finding.objects.count() == 2


def test_unknown_departments_and_mentions_answer_400_naming_them(writer, teams, assert_api_error):
    response = writer.post("/api/v1/findings", BODY | {"departments": ["pr", "legal"], "mentions": [424242]})
    error = assert_api_error(response, 400, "invalid")
    assert "legal" in error["details"]["departments"][0]
    assert "424242" in error["details"]["mentions"][0]
    assert not Finding.objects.exists()


def test_missing_fields_answer_400(writer, teams, assert_api_error):
    error = assert_api_error(writer.post("/api/v1/findings", {"title": "x"}), 400, "invalid")
    assert {"summary", "recommended_action", "departments"} <= set(error["details"])


def test_patch_moves_the_status_through_the_workflow(writer, teams, write_finding):
    finding = write_finding()
    assert writer.patch(f"/api/v1/findings/{finding.pk}", {"status": "acknowledged"}).json()["status"] == "acknowledged"
    assert writer.patch(f"/api/v1/findings/{finding.pk}", {"status": "in_progress"}).json()["status"] == "in_progress"
    kinds = list(finding.events.values_list("kind", flat=True))
    assert kinds == [FindingEvent.Kind.CREATED, FindingEvent.Kind.ACKNOWLEDGED, FindingEvent.Kind.STATUS]


def test_patch_refuses_a_skipped_step(writer, teams, write_finding, assert_api_error):
    finding = write_finding()
    assert_api_error(writer.patch(f"/api/v1/findings/{finding.pk}", {"status": "done"}), 409, "invalid_transition")
    finding.refresh_from_db()
    assert finding.status == "new"


def test_declining_without_a_reason_is_a_400_with_its_code(writer, teams, write_finding, assert_api_error):
    finding = write_finding()
    assert_api_error(writer.patch(f"/api/v1/findings/{finding.pk}", {"status": "declined"}), 400, "reason_required")
    response = writer.patch(f"/api/v1/findings/{finding.pk}", {"status": "declined", "reason": "Not in scope."})
    assert (response.json()["status"], response.json()["decline_reason"]) == ("declined", "Not in scope.")


def test_patch_edits_content_and_routes_to_a_new_department(writer, teams, write_finding):
    finding = write_finding(departments=["pr"])
    Notification.objects.all().delete()
    response = writer.patch(f"/api/v1/findings/{finding.pk}", {"title": "Renamed", "departments": ["pr", "marketing"]})
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    assert list(Notification.objects.values_list("user", flat=True)) == [teams.marketing.member.pk]


def test_a_read_only_key_cannot_write(api_client, teams, write_finding, assert_api_error):
    reader = api_client("findings:read")
    finding = write_finding()
    assert reader.get(f"/api/v1/findings/{finding.pk}").status_code == 200
    assert_api_error(reader.post("/api/v1/findings", BODY), 403, "permission_denied")
    assert_api_error(
        reader.patch(f"/api/v1/findings/{finding.pk}", {"status": "acknowledged"}), 403, "permission_denied"
    )


def test_the_list_filters_by_status_and_department(writer, teams, write_finding):
    write_finding(title="For PR", departments=["pr"])
    write_finding(title="For service")
    titles = [f["title"] for f in writer.get("/api/v1/findings", {"department": "pr"}).json()["results"]]
    assert titles == ["For PR"]
    assert len(writer.get("/api/v1/findings", {"status": "new"}).json()["results"]) == 2
    assert writer.get("/api/v1/findings", {"status": "bogus"}).status_code == 400


def test_a_marketing_member_never_sees_or_changes_a_pr_finding_over_the_api(teams, write_finding, assert_api_error):
    """IDOR: a member signed in (session) gets 404 for a finding routed only to another department."""
    pr_only = write_finding(departments=["pr"])
    ours = write_finding(departments=["marketing"], title="Ours")
    client = APIClient()
    client.force_login(teams.marketing.member)
    assert [f["id"] for f in client.get("/api/v1/findings").json()["results"]] == [ours.pk]
    assert_api_error(client.get(f"/api/v1/findings/{pr_only.pk}"), 404, "not_found")
    response = client.patch(f"/api/v1/findings/{pr_only.pk}", {"status": "acknowledged"}, format="json")
    assert_api_error(response, 404, "not_found")
    pr_only.refresh_from_db()
    assert pr_only.status == "new"
    # On their own finding a member moves the status, but may not rewrite it.
    assert client.patch(f"/api/v1/findings/{ours.pk}", {"status": "acknowledged"}, format="json").status_code == 200
    assert_api_error(
        client.patch(f"/api/v1/findings/{ours.pk}", {"title": "Mine"}, format="json"), 403, "permission_denied"
    )
    assert_api_error(client.post("/api/v1/findings", BODY, format="json"), 403, "permission_denied")


def test_the_list_costs_the_same_queries_however_many_findings(
    writer, teams, write_finding, django_assert_max_num_queries
):
    for n in range(12):
        write_finding(title=f"F{n}")
    with django_assert_max_num_queries(8):
        assert len(writer.get("/api/v1/findings").json()["results"]) == 12
