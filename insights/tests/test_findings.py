"""Findings: the workflow and its rules, routing and notifications, the boards, and the pages."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Notification
from insights.models import Finding, FindingEvent, Mention
from insights.selectors.findings import findings_board, findings_in_quarter, today
from insights.services.findings import (
    FindingNotAllowed,
    FindingReasonRequired,
    FindingTransitionRefused,
    finding_acknowledge,
    finding_create,
    finding_reply,
    finding_status_set,
    finding_update,
)
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db
Status = Finding.Status


# --- Writing and routing -------------------------------------------------------


def test_a_new_finding_notifies_its_departments_in_the_app_and_by_email(
    teams, write_finding, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finding = write_finding(departments=["customer-service", "pr"])
    notified = set(Notification.objects.values_list("user__email", flat=True))
    assert notified == {teams.service.member.email, teams.pr.member.email}
    note = Notification.objects.get(user=teams.service.member)
    assert note.url == f"/insights/findings/{finding.pk}/"
    assert "Cans arrive dented" in note.text
    assert sorted(m.to[0] for m in mailoutbox) == sorted(notified)
    assert re.search(rf"https?://[^/\s]+/insights/findings/{finding.pk}/", mailoutbox[0].body)  # absolute
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_unknown_departments_and_mentions_are_named_and_nothing_is_written(teams):
    with pytest.raises(ValidationError) as caught:
        finding_create(
            title="t",
            summary="s",
            recommended_action="a",
            departments=["pr", "no-such-team"],
            mentions=[999998, 999999],
            by=teams.ana,
        )
    assert "no-such-team" in caught.value.message_dict["departments"][0]
    assert "999998, 999999" in caught.value.message_dict["mentions"][0]
    assert not Finding.objects.exists()
    assert not Notification.objects.exists()


def test_an_employee_cannot_write_a_finding(teams):
    with pytest.raises(FindingNotAllowed):
        finding_create(title="t", summary="s", recommended_action="a", departments=["pr"], by=teams.marketing.member)


def test_the_same_idempotency_key_creates_one_finding(teams):
    fields = {"title": "t", "summary": "s", "recommended_action": "a", "departments": ["pr"], "by": teams.ana}
    first, created = finding_create(**fields, idempotency_key="api:key:1:abc")
    again, created_again = finding_create(**fields, idempotency_key="api:key:1:abc")
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Finding.objects.count() == 1
    assert Notification.objects.count() == 1  # the retry notified nobody again


def test_routing_to_another_department_later_notifies_only_that_one(teams, write_finding):
    finding = write_finding(departments=["pr"])
    Notification.objects.all().delete()
    finding_update(finding=finding, by=teams.ana, departments=["pr", "marketing"], title="Cans dented in the north")
    assert list(Notification.objects.values_list("user__email", flat=True)) == [teams.marketing.member.email]
    edited = finding.events.get(kind=FindingEvent.Kind.EDITED)
    assert "title" in edited.text
    assert "departments" in edited.text


# --- The workflow ----------------------------------------------------------------


def test_a_member_walks_the_workflow_and_every_step_is_on_the_timeline(teams, write_finding):
    finding = write_finding()
    sam = teams.service.member
    finding_acknowledge(finding=finding, by=sam)
    finding_reply(finding=finding, text="We will call the carrier on Monday.", by=sam)
    finding_status_set(finding=finding, status=Status.IN_PROGRESS, by=sam)
    finding_status_set(finding=finding, status=Status.DONE, by=sam)
    finding.refresh_from_db()
    assert finding.status == Status.DONE
    events = list(finding.events.values_list("kind", "by__email", "to_status"))
    assert events == [
        ("created", teams.ana.email, ""),
        ("acknowledged", sam.email, "acknowledged"),
        ("replied", sam.email, ""),
        ("status", sam.email, "in_progress"),
        ("status", sam.email, "done"),
    ]


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.NEW, Status.IN_PROGRESS),
        (Status.NEW, Status.DONE),
        (Status.ACKNOWLEDGED, Status.DONE),
        (Status.ACKNOWLEDGED, Status.NEW),
    ],
)
def test_a_skipped_or_backward_step_is_refused(teams, write_finding, start, to):
    finding = write_finding()
    Finding.objects.filter(pk=finding.pk).update(status=start)
    with pytest.raises(FindingTransitionRefused):
        finding_status_set(finding=finding, status=to, by=teams.service.member)
    finding.refresh_from_db()
    assert finding.status == start


def test_declining_needs_a_reason_and_keeps_it(teams, write_finding):
    finding = write_finding()
    with pytest.raises(FindingReasonRequired):
        finding_status_set(finding=finding, status=Status.DECLINED, by=teams.service.member, reason="  ")
    finding_status_set(finding=finding, status=Status.DECLINED, by=teams.service.member, reason="Not ours: logistics.")
    finding.refresh_from_db()
    assert (finding.status, finding.decline_reason) == (Status.DECLINED, "Not ours: logistics.")
    assert finding.events.last().text == "Not ours: logistics."


def test_only_staff_reopen_a_closed_finding(teams, write_finding):
    finding = write_finding()
    finding_status_set(finding=finding, status=Status.DECLINED, by=teams.service.member, reason="No budget.")
    with pytest.raises(FindingNotAllowed):
        finding_status_set(finding=finding, status=Status.ACKNOWLEDGED, by=teams.service.member)
    finding_status_set(finding=finding, status=Status.ACKNOWLEDGED, by=teams.ana)
    finding.refresh_from_db()
    assert finding.status == Status.ACKNOWLEDGED
    assert finding.events.last().kind == FindingEvent.Kind.REOPENED


def test_another_department_cannot_change_or_reply(teams, write_finding):
    finding = write_finding(departments=["pr"])
    with pytest.raises(FindingNotAllowed):
        finding_acknowledge(finding=finding, by=teams.marketing.member)
    with pytest.raises(FindingNotAllowed):
        finding_reply(finding=finding, text="ours now", by=teams.marketing.member)
    finding.refresh_from_db()
    assert finding.status == Status.NEW
    assert finding.events.count() == 1


def test_acknowledging_twice_is_refused_the_second_time(teams, write_finding):
    finding = write_finding()
    finding_acknowledge(finding=finding, by=teams.service.member)
    with pytest.raises(FindingTransitionRefused, match="acknowledged already"):
        finding_acknowledge(finding=finding, by=teams.ana)
    assert finding.events.filter(kind=FindingEvent.Kind.ACKNOWLEDGED).count() == 1


# --- Boards and the quarter --------------------------------------------------------


def test_the_board_flags_overdue_findings_only_while_open(teams, write_finding):
    late = write_finding(title="Late", due=today() - timedelta(days=1))
    done_late = write_finding(title="Done late", due=today() - timedelta(days=3))
    Finding.objects.filter(pk=done_late.pk).update(status=Status.DONE)
    future = write_finding(title="Later", due=today() + timedelta(days=5))
    board = {f.title: f.is_overdue for f in findings_board()}
    assert board == {"Late": True, "Done late": False, "Later": False}
    assert [f.pk for f in findings_board(overdue=True)] == [late.pk]
    assert future.pk in [f.pk for f in findings_board(department=teams.service.department)]
    assert not findings_board(department=teams.pr.department).exists()


def test_findings_in_quarter_lists_the_quarters_findings_with_their_status(teams, write_finding):
    inside = write_finding(title="Q4 finding")
    finding_acknowledge(finding=inside, by=teams.ana)
    earlier = write_finding(title="Older")
    Finding.objects.filter(pk=earlier.pk).update(created_at=inside.created_at - timedelta(days=200))
    quarter_start = date(today().year, (today().month - 1) // 3 * 3 + 1, 1)
    rows = findings_in_quarter(start=quarter_start, end=today())
    assert [(row["title"], row["status"], row["departments"]) for row in rows] == [
        ("Q4 finding", "acknowledged", ["customer-service"])
    ]


# --- Pages ------------------------------------------------------------------------------


def test_staff_write_a_finding_with_evidence_through_the_form(client, teams, mailoutbox):
    TermFactory()
    mentions_ingest([item(1, text="carl's soda can was dented"), item(2, text="carl's soda dented again")])
    rollups_refresh()
    ids = list(Mention.objects.order_by("pk").values_list("pk", flat=True))
    client.force_login(teams.ana)
    form = client.get("/insights/findings/new/").content.decode()
    token = form.split('name="token" value="')[1].split('"')[0]
    day = today()
    fields = {
        "title": "Dented cans",
        "summary": "Customers report dented cans.",
        "recommended_action": "Talk to the carrier.",
        "departments": ["customer-service"],
        "priority": "high",
        "due": (day + timedelta(days=7)).isoformat(),
        "mentions": f"{ids[0]}, {ids[1]}",
        "chart_term": str(TermFactory().pk),
        "chart_start": (day - timedelta(days=6)).isoformat(),
        "chart_end": day.isoformat(),
        "token": token,
    }
    response = client.post("/insights/findings/new/", fields)
    finding = Finding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/insights/findings/{finding.pk}/"
    assert client.post("/insights/findings/new/", fields).status_code == 302  # sent again: nothing new
    assert Finding.objects.count() == 1
    page = client.get(f"/insights/findings/{finding.pk}/").content.decode()
    assert "carl&#x27;s soda can was dented" in page
    assert "The numbers as a table" in page
    assert 'class="chartkick-chart"' in page
    assert "Created" in page


def test_the_form_names_mention_ids_that_do_not_exist(client, teams):
    client.force_login(teams.ana)
    response = client.post(
        "/insights/findings/new/",
        {"title": "t", "summary": "s", "recommended_action": "a", "departments": ["pr"], "priority": "low",
         "mentions": "12345, abc"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Not mention ids: abc" in response.content.decode()
    response = client.post(
        "/insights/findings/new/",
        {"title": "t", "summary": "s", "recommended_action": "a", "departments": ["pr"], "priority": "low",
         "mentions": "12345"},
    )  # fmt: skip
    assert "Unknown mention id(s): 12345." in response.content.decode()
    assert not Finding.objects.exists()


def test_a_member_acknowledges_and_replies_on_the_page(client, teams, write_finding):
    finding = write_finding()
    client.force_login(teams.service.member)
    page = client.get(f"/insights/findings/{finding.pk}/").content.decode()
    assert "Acknowledge" in page
    assert "Edit</a>" not in page
    client.post(f"/insights/findings/{finding.pk}/acknowledge/")
    client.post(f"/insights/findings/{finding.pk}/reply/", {"text": "We will fix the pallets."})
    page = client.get(f"/insights/findings/{finding.pk}/").content.decode()
    assert "We will fix the pallets." in page
    assert "Move to in progress" in page
    finding.refresh_from_db()
    assert finding.status == Status.ACKNOWLEDGED


def test_declining_on_the_page_without_a_reason_says_so(client, teams, write_finding):
    finding = write_finding()
    client.force_login(teams.service.member)
    response = client.post(f"/insights/findings/{finding.pk}/decline/", {"reason": ""}, follow=True)
    assert "a reason is required" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == Status.NEW


def test_a_marketing_member_never_sees_or_changes_a_pr_finding(client, teams, write_finding):
    """IDOR: a finding routed only to PR is a 404 to marketing, on every page and action."""
    finding = write_finding(departments=["pr"], title="Press asks about the recall")
    client.force_login(teams.marketing.member)
    assert client.get(f"/insights/findings/{finding.pk}/").status_code == 404
    for action in ("acknowledge", "reply", "start", "done", "decline", "reopen"):
        response = client.post(f"/insights/findings/{finding.pk}/{action}/", {"text": "x", "reason": "x"})
        assert response.status_code == 404
    assert "Press asks" not in client.get("/departments/marketing/").content.decode()
    assert client.get("/departments/pr/").status_code == 404
    assert client.get("/insights/findings/").status_code == 403
    finding.refresh_from_db()
    assert finding.status == Status.NEW
    assert finding.events.count() == 1


def test_the_department_page_shows_its_board_with_overdue_flagged(client, teams, write_finding):
    write_finding(title="Late reply scripts", due=today() - timedelta(days=2))
    write_finding(title="Only for PR", departments=["pr"])
    client.force_login(teams.service.member)
    html = client.get("/departments/customer-service/").content.decode()
    assert "Late reply scripts" in html
    assert "Overdue" in html
    assert "Only for PR" not in html
    assert "Routed mentions" in html


def test_the_staff_board_filters_by_department_status_and_priority(client, teams, write_finding):
    write_finding(title="Urgent for service", priority="urgent")
    write_finding(title="Low for PR", departments=["pr"], priority="low")
    client.force_login(teams.ana)
    html = client.get("/insights/findings/", {"department": "pr"}).content.decode()
    assert "Low for PR" in html
    assert "Urgent for service" not in html
    html = client.get("/insights/findings/", {"priority": "urgent", "status": "new"}).content.decode()
    assert "Urgent for service" in html
    assert "Low for PR" not in html
    assert client.get("/insights/findings/", {"status": "bogus", "department": "nope"}).status_code == 200


def test_the_board_costs_the_same_queries_however_many_findings(
    client, teams, write_finding, django_assert_max_num_queries
):
    for n in range(15):
        write_finding(title=f"Finding {n}", departments=["pr", "customer-service"])
    client.force_login(teams.ana)
    client.get("/insights/findings/")
    with django_assert_max_num_queries(12):
        assert client.get("/insights/findings/").status_code == 200
