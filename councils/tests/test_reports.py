"""The quarterly reports: the JSON contract, drafts and published (frozen) reports, bad input, who may do what,
the PDF with its charts, the demo's reports."""

import subprocess
import sys
import threading
from datetime import timedelta

import numpy
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from PIL import Image

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from advocacy.models import Activity
from advocacy.tests.factories import MembershipFactory
from councils.demo import demo_reports_seed
from councils.models import ActionItem, Council, Meeting, Report
from councils.quarters import Quarter
from councils.selectors.reports import report_compute
from councils.services.reports import report_notes_save, report_publish
from councils.tests.reports_helpers import councils_ensure, manager, member, mentions_in, past_quarter
from intranet.feedback_services import feedback_give
from intranet.idea_services import idea_status_set
from intranet.models import Feedback, Idea, IdeaEvent
from intranet.tests.factories import employee, idea_manager, make_idea

pytestmark = pytest.mark.django_db

BRAND_SECTIONS = {
    "mentions",
    "share_of_voice",
    "themes",
    "findings",
    "program",
    "top_advocates",
    "response_time",
    "action_items",
}
CUSTOMER_SECTIONS = {"intranet_activity", "ideas", "feedback_themes", "enps", "spotlights", "action_items"}


def _url(kind: str, quarter, suffix: str = "") -> str:
    return f"/councils/{kind}/reports/{quarter}/{suffix}"


def _pair(value, types=(int,)) -> None:
    assert set(value) == {"current", "previous"}, value
    for v in value.values():
        assert v is None or isinstance(v, types), value


@pytest.fixture
def _data(channels):
    councils_ensure()
    return channels


# --- The contract -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("_data")
def test_the_api_answers_the_contract_for_the_brand_council(api_client):
    quarter = past_quarter()
    mentions_in(quarter, 3)
    mentions_in(quarter.previous, 2, first=100)
    response = api_client("reports:read").get(f"/api/v1/councils/brand/reports/{quarter}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert {"council", "quarter", "status", "published_at", "partial", "sections", "conversation_gap"} <= set(body)
    assert (body["council"], body["quarter"], body["status"], body["published_at"], body["partial"]) == (
        "brand",
        str(quarter),
        "draft",
        None,
        False,
    )
    sections = body["sections"]
    assert set(sections) == BRAND_SECTIONS
    assert sections["mentions"]["volume"] == {"current": 3, "previous": 2}
    _pair(sections["mentions"]["net_sentiment"], (float,))
    assert sum(w["count"] for w in sections["mentions"]["weekly"]) == 3
    assert all(set(w) == {"week", "count", "net_sentiment"} for w in sections["mentions"]["weekly"])
    assert sections["share_of_voice"]["terms"][0]["term"] == "Carl's Soda"
    assert sections["share_of_voice"]["ours"] == {"current": 1.0, "previous": 1.0}
    assert set(sections["themes"]) == {"most_positive", "most_negative"}
    for key in ("active_members", "shares", "reviews", "stories", "clicks", "conversions", "returning_customers"):
        _pair(sections["program"][key])
    assert {"seats_used", "seat_limit", "waitlist"} <= set(sections["program"])
    for pair in sections["response_time"].values():
        _pair(pair)
    _pair(sections["findings"]["count"])
    assert set(sections["action_items"]) == {"open", "done", "items"}
    gap = body["conversation_gap"]
    assert {"overlap", "trend", "themes"} <= set(gap)  # the extraction adds how it sampled
    assert 0.0 <= gap["overlap"] <= 1.0
    for point in gap["trend"]:
        assert set(point) == {"quarter", "overlap"}
        assert Quarter.parse(point["quarter"])
    for theme in gap["themes"]:  # whatever the extraction finds, in the contract's shape
        assert {"label", "keywords", "side", "external", "internal", "examples"} <= set(theme)
        assert theme["side"] in {"shared", "external_only", "internal_only"}
        assert {"count", "share", "net_sentiment"} <= set(theme["external"])
        assert {"count", "share"} <= set(theme["internal"])
        assert set(theme["examples"]) == {"external", "internal"}


@pytest.mark.usefixtures("_data")
def test_the_customer_councils_report_counts_the_intranet_and_hides_small_feedback_groups(api_client):
    quarter = past_quarter()
    in_quarter = quarter.start + timedelta(days=10)
    idea = make_idea(title="Refill stations on the bottling floor")
    Idea.objects.filter(pk=idea.pk).update(created_at=in_quarter, vote_count=4)
    idea_status_set(idea=Idea.objects.get(pk=idea.pk), status="planned", by=idea_manager())
    IdeaEvent.objects.filter(idea=idea).update(at=in_quarter + timedelta(days=5))
    for n in range(7):
        feedback_give(author=employee(), topic="culture", text=f"Good team spirit {n}.", anonymous=True)
    for n in range(6):
        feedback_give(author=employee(), topic="workload", text=f"Long shifts in week {n}.", anonymous=True)
    for n in range(2):
        feedback_give(author=employee(), topic="tools", text=f"The scanners freeze {n}.", anonymous=True)
    Feedback.objects.update(created_on=in_quarter.date())

    body = api_client("reports:read").get(f"/api/v1/councils/customer/reports/{quarter}").json()
    sections = body["sections"]
    assert set(sections) == CUSTOMER_SECTIONS
    assert sections["intranet_activity"]["ideas"] == {"current": 1, "previous": 0}
    assert sections["ideas"]["top"] == [
        {"id": idea.pk, "title": "Refill stations on the bottling floor", "status": "planned", "votes": 4}
    ]
    changes = sections["ideas"]["status_changes"]
    assert changes["total"] == 1
    assert {row["status"]: row["count"] for row in changes["by_status"]}["planned"] == 1
    assert [(c["title"], c["from"], c["to"]) for c in changes["latest"]] == [
        ("Refill stations on the bottling floor", "new", "planned")
    ]
    topics = {t["topic"]: t["count"] for t in sections["feedback_themes"]["topics"]}
    assert topics["culture"] == 7
    assert topics["tools"] is None  # a group under 5
    assert topics["workload"] is None  # it would give the tools group away (total minus the shown groups)
    assert sections["feedback_themes"]["total"] == 15
    assert [t["quarter"] for t in sections["enps"]["trend"]] == [str(q) for q in quarter.last(4)]
    _pair(sections["spotlights"]["published"])


@pytest.mark.usefixtures("_data")
def test_a_quarter_in_progress_is_a_partial_draft_that_cannot_be_published():
    boss = manager()
    current = Quarter.current()
    report = report_compute(council=Council.objects.get(kind="brand"), quarter=current)
    assert (report["status"], report["partial"]) == ("draft", True)
    with pytest.raises(ValidationError, match="still in progress"):
        report_publish(council=Council.objects.get(kind="brand"), quarter=current, by=boss)
    assert not Report.objects.filter(status=Report.Status.PUBLISHED).exists()


# --- Publishing ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("_data")
def test_a_published_report_is_frozen_when_mentions_and_ideas_change_later(api_client, client):
    quarter = past_quarter()
    boss = manager()
    brand, customer = Council.objects.get(kind="brand"), Council.objects.get(kind="customer")
    mentions_in(quarter, 2)
    idea = make_idea(title="Quieter conveyor belts")
    Idea.objects.filter(pk=idea.pk).update(created_at=quarter.start + timedelta(days=3))
    report_notes_save(council=brand, quarter=quarter, notes="The cherry launch went well.", by=boss)
    report_publish(council=brand, quarter=quarter, by=boss)
    report_publish(council=customer, quarter=quarter, by=boss)

    mentions_in(quarter, 5, first=50)  # later data about the same quarter
    later = make_idea(title="A second canteen fridge")
    Idea.objects.filter(pk=later.pk).update(created_at=quarter.start + timedelta(days=4))
    assert report_compute(council=brand, quarter=quarter)["sections"]["mentions"]["volume"]["current"] == 7

    key = api_client("reports:read")
    body = key.get(f"/api/v1/councils/brand/reports/{quarter}").json()
    assert body["status"] == "published"
    assert body["published_at"]
    assert body["sections"]["mentions"]["volume"]["current"] == 2
    assert body["notes"] == "The cherry launch went well."
    customer_body = key.get(f"/api/v1/councils/customer/reports/{quarter}").json()
    assert customer_body["sections"]["intranet_activity"]["ideas"]["current"] == 1
    client.force_login(boss)
    page = client.get(_url("brand", quarter)).content.decode()
    assert "Published" in page
    assert "The cherry launch went well." in page
    assert "Publish the report" not in page
    assert 'name="notes"' not in page


@pytest.mark.usefixtures("_data")
def test_publishing_twice_is_refused_with_the_first_date_and_changes_nothing():
    quarter, boss = past_quarter(), manager()
    brand = Council.objects.get(kind="brand")
    first = report_publish(council=brand, quarter=quarter, by=boss)
    mentions_in(quarter, 3)
    with pytest.raises(ValidationError, match="already published on"):
        report_publish(council=brand, quarter=quarter, by=manager())
    with pytest.raises(ValidationError, match="already published on"):
        report_notes_save(council=brand, quarter=quarter, notes="Too late.", by=boss)
    again = Report.objects.get(pk=first.pk)
    assert (again.data, again.published_at, again.published_by, again.notes) == (
        first.data,
        first.published_at,
        boss,
        "",
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_publish_once(channels):
    councils_ensure()
    quarter = past_quarter()
    brand = Council.objects.get(kind="brand")
    publishers = [manager() for _ in range(6)]
    barrier, outcomes = threading.Barrier(len(publishers)), []

    def publish(user):
        try:
            barrier.wait()
            report_publish(council=brand, quarter=quarter, by=user)
            outcomes.append("published")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(u,)) for u in publishers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("published") == 1, outcomes
    assert all("already published on" in o for o in outcomes if o != "published"), outcomes
    assert Report.objects.filter(council=brand, quarter=str(quarter), status="published").count() == 1


# --- Bad input ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("_data")
def test_a_quarter_that_has_not_begun_is_a_404_with_a_clear_message(client, api_client, assert_api_error):
    future = Quarter.current().next
    client.force_login(UserFactory(roles=(Role.EXECUTIVE,)))
    page = client.get(_url("brand", future))
    assert page.status_code == 404
    assert f"{future} has not begun" in page.content.decode()
    error = assert_api_error(
        api_client("reports:read").get(f"/api/v1/councils/brand/reports/{future}"), 404, "quarter_not_begun"
    )
    assert "has not begun" in error["message"]
    boss = manager()
    with pytest.raises(ValidationError, match="has not begun"):
        report_publish(council=Council.objects.get(kind="brand"), quarter=future, by=boss)
    with pytest.raises(ValidationError, match="has not begun"):
        report_notes_save(council=Council.objects.get(kind="brand"), quarter=future, notes="x", by=boss)
    assert not Report.objects.exists()


@pytest.mark.usefixtures("_data")
def test_a_malformed_quarter_or_an_unknown_council_is_refused(client, api_client, assert_api_error):
    client.force_login(UserFactory(roles=(Role.EXECUTIVE,)))
    assert client.get(_url("brand", "2026-Q5")).status_code == 404
    assert client.get(_url("brand", "Q3-2026")).status_code == 404
    assert client.get(_url("marketing", past_quarter())).status_code == 404
    assert "from 1900-Q4 on" in client.get(_url("brand", "1900-Q3")).content.decode()
    key = api_client("reports:read")
    assert (
        "2026-Q3"
        in assert_api_error(key.get("/api/v1/councils/brand/reports/2026-Q5"), 400, "invalid_quarter")["message"]
    )
    assert_api_error(key.get(f"/api/v1/councils/marketing/reports/{past_quarter()}"), 404, "not_found")
    assert_api_error(key.get("/api/v1/councils/customer/reports/0001-Q1"), 400, "invalid_quarter")
    assert key.get("/api/v1/councils/customer/reports/1900-Q4").status_code == 200
    assert_api_error(key.get("/api/v1/councils/marketing/reports"), 404, "not_found")


# --- Who may do what ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("_data")
def test_members_annotate_their_own_councils_report_and_only_the_chair_or_a_manager_publishes(client):
    quarter = past_quarter()
    brand = Council.objects.get(kind="brand")
    seated = member("brand", name="Bea Benning")
    chair = member("brand", chair=True, name="Cole Chairley")
    executive = UserFactory(roles=(Role.EXECUTIVE,))

    client.force_login(seated)
    assert client.get(_url("customer", quarter)).status_code == 403  # not the other council's
    page = client.get(_url("brand", quarter)).content.decode()
    assert 'name="notes"' in page
    assert "Publish the report" not in page
    response = client.post(_url("brand", quarter, "notes"), {"notes": "  Ask about the <b>can</b> redesign.  "})
    assert response.status_code == 302
    assert Report.objects.get(council=brand, quarter=str(quarter)).notes == "Ask about the <b>can</b> redesign."
    assert "Ask about the &lt;b&gt;can&lt;/b&gt; redesign." in client.get(_url("brand", quarter)).content.decode()
    assert client.post(_url("brand", quarter, "publish")).status_code == 403
    assert client.post(_url("brand", quarter, "notes"), {"notes": "Cherry\x00Fizz"}).status_code == 400
    too_long = client.post(_url("brand", quarter, "notes"), {"notes": "fizz" * 12_501})
    assert too_long.status_code == 400
    assert "at most 50000 characters" in too_long.content.decode()
    assert Report.objects.get(council=brand, quarter=str(quarter)).notes == "Ask about the <b>can</b> redesign."
    with pytest.raises(PermissionDenied):
        report_publish(council=brand, quarter=quarter, by=seated)

    client.force_login(executive)
    assert client.get(_url("brand", quarter)).status_code == 200
    assert client.post(_url("brand", quarter, "notes"), {"notes": "Mine now"}).status_code == 403
    assert client.post(_url("customer", quarter, "publish")).status_code == 403
    assert Report.objects.get(council=brand, quarter=str(quarter)).notes == "Ask about the <b>can</b> redesign."

    client.force_login(chair)
    assert "Publish the report" in client.get(_url("brand", quarter)).content.decode()
    assert client.post(_url("brand", quarter, "publish")).status_code == 302
    assert Report.objects.get(council=brand, quarter=str(quarter)).status == "published"
    again = client.post(_url("brand", quarter, "publish"))
    assert again.status_code == 409
    assert "already published on" in again.content.decode()
    refused = client.post(_url("brand", quarter, "notes"), {"notes": "After the fact"})
    assert refused.status_code == 400
    assert "already published on" in refused.content.decode()


@pytest.mark.usefixtures("_data")
def test_the_api_lets_signed_in_readers_and_keys_with_the_scope_only(client, api_client, assert_api_error):
    quarter = past_quarter()
    path = f"/api/v1/councils/customer/reports/{quarter}"
    client.force_login(member("brand"))
    assert_api_error(client.get(path), 403, "permission_denied")
    client.force_login(member("customer"))
    assert client.get(path).status_code == 200
    client.force_login(UserFactory(roles=(Role.EMPLOYEE,)))
    assert_api_error(client.get(path), 403, "permission_denied")
    assert_api_error(api_client("councils:read").get(path), 403, "permission_denied")
    assert api_client("reports:read").get(path).status_code == 200


@pytest.mark.usefixtures("_data")
def test_the_index_and_the_api_list_the_quarters_with_their_status(client, api_client):
    quarter = past_quarter()
    report_publish(council=Council.objects.get(kind="customer"), quarter=quarter, by=manager())
    listed = api_client("reports:read").get("/api/v1/councils/customer/reports").json()
    assert [r["quarter"] for r in listed] == [str(q) for q in reversed(Quarter.current().last(4))]
    by_quarter = {r["quarter"]: r for r in listed}
    assert by_quarter[str(quarter)]["status"] == "published"
    assert by_quarter[str(quarter)]["published_at"]
    assert by_quarter[str(Quarter.current())]["partial"] is True
    assert by_quarter[str(quarter)]["url"] == f"/api/v1/councils/customer/reports/{quarter}"

    client.force_login(member("customer"))
    page = client.get("/reports/").content.decode()
    assert "Customer Advisory Council" in page
    assert "Brand Advisory Council" not in page
    assert "Published" in page
    assert "Draft — partial quarter" in page


# --- The PDF -----------------------------------------------------------------------------------------


def _blue_pixels(png) -> int:
    """Pixels of the charts' blue (#0d6efd) on a rendered page."""
    pixels = numpy.asarray(Image.open(png).convert("RGB")).astype(int)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((r < 60) & (g > 90) & (g < 130) & (b > 220)).sum())


@pytest.mark.usefixtures("_data")
def test_the_pdf_is_a_real_pdf_whose_pages_carry_the_charts(client, tmp_path):
    quarter = past_quarter()
    mentions_in(quarter, 4)
    mentions_in(quarter.previous, 3, first=100)
    report_publish(council=Council.objects.get(kind="brand"), quarter=quarter, by=manager())
    client.force_login(UserFactory(roles=(Role.EXECUTIVE,)))
    response = client.get(_url("brand", quarter, "report.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    assert _blue_pixels(pages[0]) > 500  # the weekly lines and the share-of-voice bars are drawn
    assert client.get(_url("brand", quarter, "report.pdf")).content == response.content  # kept, not redrawn


@pytest.mark.usefixtures("_data")
def test_without_weasyprint_the_pdf_link_answers_a_clear_503(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as on a machine without it: the import fails
    client.force_login(UserFactory(roles=(Role.EXECUTIVE,)))
    response = client.get(_url("customer", past_quarter(), "report.pdf"))
    assert response.status_code == 503
    assert "Print the report page instead" in response.content.decode()


# --- Demo --------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("_data")
def test_the_demo_publishes_two_past_quarters_per_council_once(make_user):
    make_user("ada.admin")
    assert demo_reports_seed() == {"council_reports": 4}
    assert demo_reports_seed() == {"council_reports": 0}
    current = Quarter.current()
    published = set(Report.objects.filter(status="published").values_list("council__kind", "quarter"))
    assert published == {
        (kind, str(q)) for kind in ("brand", "customer") for q in (current.previous, current.previous.previous)
    }
    assert all(r.notes for r in Report.objects.all())


@pytest.mark.usefixtures("_data")
def test_the_report_lists_the_quarters_action_items_and_those_carried_over_open():
    quarter = past_quarter()
    brand = Council.objects.get(kind="brand")
    owner = UserFactory(roles=(Role.EXECUTIVE,), name="Otto Owensby")

    def meeting(at):
        return Meeting.objects.create(
            council=brand, title="Quarterly meeting", starts_at=at, ends_at=at + timedelta(hours=2), place="Room 4"
        )

    earlier, held = meeting(quarter.previous.start + timedelta(days=20)), meeting(quarter.start + timedelta(days=30))
    ActionItem.objects.create(
        council=brand, meeting=earlier, title="Test the new can", owner=owner, due_on=quarter.first_day
    )
    ActionItem.objects.create(
        council=brand,
        meeting=earlier,
        title="Closed before",
        owner=owner,
        due_on=quarter.first_day,
        status="done",
        closed_at=quarter.start,
    )
    ActionItem.objects.create(
        council=brand,
        meeting=held,
        title="Brief the call centre",
        owner=owner,
        due_on=quarter.first_day + timedelta(days=60),
        status="done",
        closed_at=quarter.start + timedelta(days=50),
    )
    ActionItem.objects.create(
        council=Council.objects.get(kind="customer"),
        meeting=meeting(quarter.start + timedelta(days=31)),
        title="Not this council's",
        owner=owner,
        due_on=quarter.first_day,
    )
    items = report_compute(council=brand, quarter=quarter)["sections"]["action_items"]
    assert (items["open"], items["done"]) == (1, 1)
    assert [(i["title"], i["owner"], i["status"], i["carried_over"]) for i in items["items"]] == [
        ("Test the new can", "Otto Owensby", "open", True),
        ("Brief the call centre", "Otto Owensby", "done", False),
    ]


@pytest.mark.usefixtures("_data")
def test_a_published_reports_page_reads_the_stored_figures_in_a_few_queries(client, django_assert_max_num_queries):
    quarter = past_quarter()
    mentions_in(quarter, 3)
    report_publish(council=Council.objects.get(kind="brand"), quarter=quarter, by=manager())
    client.force_login(UserFactory(roles=(Role.EXECUTIVE,)))
    client.get(_url("brand", quarter))  # the session and the roles cached
    with django_assert_max_num_queries(8):  # nothing recomputed: no rollup, intranet or program query
        assert client.get(_url("brand", quarter)).status_code == 200


@pytest.mark.usefixtures("_data")
def test_the_brand_report_counts_the_programs_activity_of_the_quarter_and_its_top_advocates():
    quarter = past_quarter()
    amy = MembershipFactory(user=UserFactory(name="Amy Castellano", email="amy.c@customers.example"))
    bo = MembershipFactory(user=UserFactory(name="Bo Lindahl", email="bo.l@customers.example"))
    during, before = quarter.start + timedelta(days=9), quarter.previous.start + timedelta(days=9)
    rows = [
        (amy, "share", 10, during, False),
        (amy, "review", 25, during, False),
        (bo, "share", 10, during, False),
        (bo, "share", 10, during, True),  # held: counts for nothing
        (bo, "share", 10, before, False),  # the previous quarter's
    ]
    for n, (membership, kind, points, at, held) in enumerate(rows):
        Activity.objects.create(membership=membership, kind=kind, key=f"k{n}", points=points, at=at, held=held)
    sections = report_compute(council=Council.objects.get(kind="brand"), quarter=quarter)["sections"]
    assert sections["program"]["shares"] == {"current": 2, "previous": 1}
    assert sections["program"]["reviews"] == {"current": 1, "previous": 0}
    assert sections["program"]["active_members"] == {"current": 2, "previous": 1}
    assert sections["top_advocates"] == [{"name": "Amy C.", "points": 35}, {"name": "Bo L.", "points": 10}]
    assert sections["program"]["seats_used"] == 2
