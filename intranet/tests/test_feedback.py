"""Workplace feedback and suggestions: named or anonymous, public answers, the report with small groups hidden."""

import logging
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import Department, Notification
from accounts.roles import Role
from intranet.feedback_selectors import feedback_report
from intranet.feedback_services import FeedbackNotAllowed, feedback_give, suggestion_answer
from intranet.models import Feedback
from intranet.tests.factories import employee

pytestmark = pytest.mark.django_db

NEW = reverse("intranet:feedback_new")
SUGGESTIONS = reverse("intranet:suggestions")
REPORT = reverse("intranet:feedback_report")


def moderator(**fields):
    """An employee of the Customer Advisory Council: holds intranet.moderate_intranet."""
    user = employee(**fields)
    user.user_permissions.add(Permission.objects.get(codename="moderate_intranet", content_type__app_label="intranet"))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def bottling(db):
    return Department.objects.create(slug="bottling", name="Bottling")


def test_anonymous_feedback_keeps_no_author_no_time_and_no_number_on_the_page(client, bottling, caplog):
    giver = employee(name="Anouk Quiet", email="anouk.quiet@carlssoda.example")
    client.force_login(giver)
    caplog.set_level(logging.DEBUG)
    answer = client.post(
        NEW,
        {
            "kind": "feedback",
            "topic": "workload",
            "text": "Night shifts run long.",
            "department": bottling.pk,
            "anonymous": "on",
        },
        follow=True,
    )
    row = Feedback.objects.get()
    assert (row.anonymous, row.author, row.department, row.text) == (True, None, bottling, "Night shifts run long.")
    assert isinstance(row.created_on, date)
    assert not hasattr(row, "created_at")
    assert answer.redirect_chain == [(reverse("intranet:feedback_thanks"), 302)]
    page = answer.content.decode()
    assert "Your anonymous feedback is in" in page
    assert str(row.pk) not in page
    assert row.digest not in page
    logged = "\n".join(record.getMessage() + repr(record.__dict__) for record in caplog.records)
    assert giver.email not in logged
    assert "Anouk" not in logged
    assert not Notification.objects.exists()
    assert client.get(reverse("intranet:feedback_mine")).content.decode().count("Night shifts run long.") == 0


def test_the_database_refuses_an_anonymous_row_with_an_author():
    with pytest.raises(IntegrityError):
        Feedback.objects.create(text="x", anonymous=True, author=employee())


def test_named_feedback_is_listed_for_its_author_only(client):
    author, other = employee(), employee()
    client.force_login(author)
    answer = client.post(
        NEW, {"kind": "feedback", "topic": "tools", "text": "The new scanners are great."}, follow=True
    )
    assert answer.redirect_chain[-1][0] == reverse("intranet:feedback_mine")
    assert "The new scanners are great." in answer.content.decode()
    assert Feedback.objects.get().author == author
    client.force_login(other)
    assert "The new scanners are great." not in client.get(reverse("intranet:feedback_mine")).content.decode()


def test_a_retry_of_the_same_form_creates_nothing_more(client):
    client.force_login(employee())
    form = {"kind": "suggestion", "topic": "facilities", "text": "Shade over the loading bay.", "anonymous": "on"}
    client.post(NEW, form)
    client.post(NEW, form)
    assert Feedback.objects.count() == 1


def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(client):
    client.force_login(employee())
    for form, message in [
        ({"kind": "feedback", "topic": "tools", "text": "   "}, "This field is required."),
        ({"kind": "feedback", "topic": "tools", "text": "x" * 5001}, "at most 5000 characters"),
        ({"kind": "rant", "topic": "tools", "text": "Hi"}, "Select a valid choice"),
        ({"kind": "feedback", "topic": "tools", "text": "Hi", "department": "99999"}, "Select a valid choice"),
    ]:
        answer = client.post(NEW, form)
        assert answer.status_code == 200
        assert message in answer.content.decode()
    assert not Feedback.objects.exists()


def test_script_in_a_suggestion_shows_as_text(client):
    client.force_login(employee())
    client.post(NEW, {"kind": "suggestion", "topic": "other", "text": "<script>alert(1)</script>"})
    page = client.get(SUGGESTIONS).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_a_moderator_answers_a_named_suggestion_publicly_and_its_author_hears_of_it(client):
    author = employee(name="Sol Named")
    suggestion, _ = feedback_give(author=author, kind="suggestion", topic="culture", text="Monthly soda tastings.")
    client.force_login(moderator(name="Cara Council"))
    answer = client.post(
        reverse("intranet:suggestion_answer", args=[suggestion.pk]), {"answer": "Starting in March."}, follow=True
    )
    assert "Your answer is published." in answer.content.decode()
    client.force_login(employee())
    page = client.get(SUGGESTIONS).content.decode()
    assert "Starting in March." in page
    assert "Cara Council" in page
    assert "Sol Named" in page
    note = Notification.objects.get()
    assert (note.user, note.text, note.url) == (
        author,
        "Your suggestion got an answer.",
        reverse("intranet:feedback_mine"),
    )


def test_answering_an_anonymous_suggestion_notifies_nobody():
    suggestion, _ = feedback_give(author=employee(), kind="suggestion", text="Standing desks.", anonymous=True)
    answered = suggestion_answer(suggestion=suggestion, by=moderator(), answer="Ordered for every floor.")
    assert answered.answer == "Ordered for every floor."
    assert answered.author is None
    assert not Notification.objects.exists()


def test_an_employee_who_is_not_on_the_council_cannot_answer(client):
    suggestion, _ = feedback_give(author=employee(), kind="suggestion", text="Free parking.")
    someone = employee()
    client.force_login(someone)
    assert (
        client.post(reverse("intranet:suggestion_answer", args=[suggestion.pk]), {"answer": "Yes!"}).status_code == 403
    )
    with pytest.raises(FeedbackNotAllowed):
        suggestion_answer(suggestion=suggestion, by=someone, answer="Yes!")
    suggestion.refresh_from_db()
    assert suggestion.answer == ""


def test_staff_may_answer_too():
    suggestion, _ = feedback_give(author=employee(), kind="suggestion", text="A quiet room.")
    staff = employee()
    type(staff).objects.filter(pk=staff.pk).update(is_staff=True)
    staff.refresh_from_db()
    assert suggestion_answer(suggestion=suggestion, by=staff, answer="Room 4B.").answer == "Room 4B."


def test_lists_are_ordered_by_day_then_by_random_key_not_by_arrival():
    author = employee()
    with time_machine.travel("2026-05-04 15:00 -04:00"):
        made = [feedback_give(author=author, text=f"Note {n}", anonymous=True)[0] for n in range(12)]
    listed = list(Feedback.objects.all())
    assert [f.pk for f in listed] == sorted(f.pk for f in made)
    assert {f.created_on for f in listed} == {date(2026, 5, 4)}


def _give(n, *, department=None, topic="workload", anonymous=True):
    for i in range(n):
        feedback_give(
            author=employee(), text=f"{topic} {i} {department}", topic=topic, department=department, anonymous=anonymous
        )


@time_machine.travel("2026-05-04 12:00 -04:00")
def test_the_report_hides_groups_under_five_and_what_would_give_them_away(bottling):
    sales = Department.objects.create(slug="sales", name="Sales")
    _give(6, department=bottling, topic="workload")
    _give(5, department=sales, topic="tools")
    _give(2, department=None, topic="culture")
    report = feedback_report(year=2026)
    assert report.total == 13
    by = {name: {row.label: row.count for row in rows} for name, rows in report.by.items()}
    # "Not stated" (2) would be 13 − 6 − 5: Sales (the smallest shown) is hidden with it
    assert {k: by["department"][k] for k in ("Bottling", "Sales", "Not stated")} == {
        "Bottling": 6,
        "Sales": None,
        "Not stated": None,
    }
    assert all(count is None for name, count in by["department"].items() if name not in ("Bottling", "Sales"))
    assert by["topic"]["Workload and hours"] == 6
    assert by["topic"]["Culture and recognition"] is None
    assert by["quarter"] == {"2026-Q1": None, "2026-Q2": 13}


def test_the_report_is_for_the_council_and_staff_only(client):
    client.force_login(employee())
    assert client.get(REPORT).status_code == 403
    assert client.get(reverse("intranet:feedback_inbox")).status_code == 403
    client.force_login(moderator())
    assert client.get(REPORT).status_code == 200
    assert client.get(reverse("intranet:feedback_inbox")).status_code == 200


@pytest.mark.parametrize("role", [Role.AMBASSADOR, Role.EXECUTIVE, Role.INSIGHTS_STAFF])
def test_people_who_are_not_employees_never_see_the_feedback_pages(client, role):
    from accounts.tests.factories import UserFactory

    user = UserFactory(roles=(role,))
    type(user).objects.filter(pk=user.pk).update(is_staff=True)  # staff, but not an employee
    client.force_login(user)
    for name in ("feedback_new", "suggestions", "feedback_report", "feedback_inbox", "pulse"):
        assert client.get(reverse(f"intranet:{name}")).status_code == 403


def test_the_inbox_shows_named_authors_and_says_anonymous_for_the_others(client):
    feedback_give(author=employee(name="Rui Named"), text="Named words.")
    feedback_give(author=employee(name="Ana Hidden"), text="Hidden words.", anonymous=True)
    client.force_login(moderator())
    page = client.get(reverse("intranet:feedback_inbox")).content.decode()
    assert "Rui Named" in page
    assert "Ana Hidden" not in page
    assert "anonymous" in page


def test_the_suggestions_list_and_the_report_take_a_fixed_number_of_queries(
    client, bottling, django_assert_max_num_queries
):
    council = moderator()
    for n in range(30):
        row, _ = feedback_give(
            author=employee(), kind="suggestion", text=f"Idea {n}", department=bottling, anonymous=n % 2 == 0
        )
        suggestion_answer(suggestion=row, by=council, answer="Thanks.")
    client.force_login(council)
    client.get(SUGGESTIONS)  # warm the roles cache
    with django_assert_max_num_queries(8):
        assert client.get(SUGGESTIONS).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(REPORT).status_code == 200
