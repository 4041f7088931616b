"""`manage.py intranet_import`: the old intranet's conversation comes in once, line by line, with its
refusals explained; anonymous feedback comes in anonymous; unknown authors claim their accounts later."""

import json
import re
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import Notification, User
from accounts.roles import Role
from intranet.idea_services import idea_vote
from intranet.importer import CREATED, REFUSED, SKIPPED, anonymous_key_digest, intranet_import
from intranet.models import (
    Feedback,
    Group,
    GroupMembership,
    Idea,
    IdeaVote,
    ImportedAccount,
    ImportedKey,
    Post,
    PostComment,
)
from intranet.tests.factories import employee

pytestmark = pytest.mark.django_db

MARIA = "maria.okafor@carlssoda.example"
DEV = "dev.lindqvist@carlssoda.example"
NEW_PASSWORD = "Cherry-fizz-on-every-floor-26"


def post(external_id="old-post-1", author=MARIA, text="Line 3 hit **40,000 cans** today!", **fields):
    return {"type": "post", "external_id": external_id, "created_at": "2024-03-01T09:30:00+01:00",
            "author_email": author, "text": text, **fields}  # fmt: skip


def comment(external_id="old-comment-1", post_id="old-post-1", author=DEV, text="Well done, bottling team."):
    return {"type": "comment", "external_id": external_id, "created_at": "2024-03-01T10:05:00+01:00",
            "author_email": author, "post_external_id": post_id, "text": text}  # fmt: skip


def idea(external_id="old-idea-1", author=DEV, title="Sugar-free cherry fizz in the vending machines", **fields):
    return {"type": "idea", "external_id": external_id, "created_at": "2024-02-10T14:00:00Z", "author_email": author,
            "title": title, "description": "On every floor, please.", **fields}  # fmt: skip


def vote(external_id="old-vote-1", idea_id="old-idea-1", author=MARIA):
    return {"type": "vote", "external_id": external_id, "created_at": "2024-02-11T08:00:00Z",
            "author_email": author, "idea_external_id": idea_id}  # fmt: skip


def feedback(external_id="old-feedback-1", anonymous=False, author=MARIA, created_at="2024-03-05T02:30:00Z", **kw):
    line = {"type": "feedback", "external_id": external_id, "created_at": created_at,
            "text": "The break room is too hot in summer.", "anonymous": anonymous, **kw}  # fmt: skip
    if author:
        line["author_email"] = author
    return line


def run(*lines, batch_size=2_000):
    """Import these lines (dicts become JSON; strings go as they are) and return (summary, outcomes)."""
    outcomes = []
    raw = [line if isinstance(line, str | bytes) else json.dumps(line) for line in lines]
    summary = intranet_import(lines=raw, batch_size=batch_size, on_outcome=outcomes.append)
    return summary, outcomes


def by_line(outcomes):
    return {o.line: (o.outcome, o.reason) for o in outcomes}


def test_each_type_of_line_is_created():
    summary, outcomes = run(
        post(group="Bottling Line"),
        comment(),
        idea(category="Workplace"),
        vote(),
        feedback(),
        feedback("old-feedback-2", anonymous=True, author=None),
    )

    assert [o.outcome for o in outcomes] == [CREATED] * 6
    assert summary.count(CREATED) == 6
    assert summary.count(REFUSED) == 0
    imported = Post.objects.get(external_id="old-post-1")
    assert imported.author.email == MARIA
    assert imported.html == "<p>Line 3 hit <strong>40,000 cans</strong> today!</p>\n"
    assert imported.created_at.isoformat() == "2024-03-01T08:30:00+00:00"
    assert imported.group.name == "Bottling Line"
    assert imported.group.slug == "bottling-line"
    assert GroupMembership.objects.filter(group=imported.group, user=imported.author).exists()
    reply = PostComment.objects.get(external_id="old-comment-1")
    assert (reply.post, reply.author.email, reply.html) == (imported, DEV, "<p>Well done, bottling team.</p>\n")
    the_idea = Idea.objects.get(external_id="old-idea-1")
    assert (the_idea.category, the_idea.vote_count, the_idea.author.email) == (Idea.Category.WORKPLACE, 1, DEV)
    assert IdeaVote.objects.get(external_id="old-vote-1").voter.email == MARIA
    named = Feedback.objects.get(external_id="old-feedback-1")
    assert (named.author.email, named.anonymous) == (MARIA, False)
    # 02:30 UTC on 5 March is still 4 March in the organisation's time zone (America/New_York).
    assert named.created_on == date(2024, 3, 4)
    assert Feedback.objects.filter(anonymous=True).count() == 1


def test_a_second_run_creates_nothing():
    lines = [post(group="Bottling Line"), comment(), idea(), vote(), feedback(),
             feedback("old-feedback-2", anonymous=True, author=None)]  # fmt: skip
    run(*lines)
    counts = [model.objects.count() for model in (Post, PostComment, Idea, IdeaVote, Feedback, Group, User)]

    summary, outcomes = run(*lines)

    assert [o.outcome for o in outcomes] == [SKIPPED] * 6
    assert summary.count(CREATED) == 0
    assert summary.accounts_created == 0
    assert [model.objects.count() for model in (Post, PostComment, Idea, IdeaVote, Feedback, Group, User)] == counts
    assert Idea.objects.get(external_id="old-idea-1").vote_count == 1


def test_a_repeated_external_id_in_one_file_comes_in_once():
    summary, outcomes = run(post(), post(text="The same post, sent twice by the old system."))

    assert by_line(outcomes)[2] == (SKIPPED, "line 1 has the same external_id")
    assert Post.objects.get().text == "Line 3 hit **40,000 cans** today!"


def test_refused_lines_say_their_number_and_why_and_the_good_lines_are_kept():
    no_offset = {**post("old-post-9"), "created_at": "2024-03-01T09:30:00"}
    lines = [
        post(),  # 1
        "{this is not json",  # 2
        {**post("old-post-3"), "type": "poll"},  # 3
        {k: v for k, v in post("old-post-4").items() if k != "text"},  # 4
        no_offset,  # 5
        comment("old-comment-6", post_id="never-there"),  # 6
        vote("old-vote-7", idea_id="never-there"),  # 7
        post("old-post-8", text="x" * 20_001),  # 8
        idea(),  # 9
        vote("old-vote-10"),  # 10
        vote("old-vote-11"),  # 11: Maria votes for the same idea again
        feedback("old-feedback-12", anonymous="yes"),  # 12
        feedback("old-feedback-13", author=None),  # 13: named, without an author
        post("old-post-14", author="not-an-address"),  # 14
        post("old-post-15", author="someone@gmail.example", group="Outsiders"),  # 15
        comment("old-comment-16"),  # 16
    ]
    summary, outcomes = run(*lines)
    results = by_line(outcomes)

    assert {n for n, (outcome, _) in results.items() if outcome == CREATED} == {1, 9, 10, 16}
    assert results[2][0] == REFUSED
    assert results[2][1].startswith("not valid JSON")
    assert results[3] == (REFUSED, "unknown type 'poll': one of post, comment, idea, vote, feedback")
    assert results[4] == (REFUSED, "text is missing")
    assert results[5] == (REFUSED, "created_at '2024-03-01T09:30:00' has no UTC offset (add one, like +01:00 or Z)")
    assert results[6] == (REFUSED, "unknown post 'never-there': not in the database nor earlier in the file")
    assert results[7] == (REFUSED, "unknown idea 'never-there': not in the database nor earlier in the file")
    assert results[8] == (REFUSED, "text is too long (20,001 characters, at most 20,000)")
    assert results[11] == (REFUSED, f"{MARIA} has voted for idea 'old-idea-1' already")
    assert results[12] == (REFUSED, "anonymous must be true or false")
    assert results[13] == (REFUSED, "author_email is missing")
    assert results[14] == (REFUSED, "author_email 'not-an-address' is not an email address")
    assert results[15] == (
        REFUSED, "someone@gmail.example has no account and is not a company address (@carlssoda.example)"
    )  # fmt: skip
    assert summary.count(REFUSED) == 12
    assert [o.line for o in summary.refused] == [2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15]
    # Nothing half-written: the refused lines left no row, no account and no group behind.
    assert Post.objects.count() == 1
    assert PostComment.objects.count() == 1
    assert IdeaVote.objects.count() == 1
    assert Feedback.objects.count() == 0
    assert not Group.objects.exists()
    assert not User.objects.filter(email__in=["someone@gmail.example", "not-an-address"]).exists()
    assert Idea.objects.get().vote_count == 1


def test_a_refused_line_makes_no_account_for_its_author():
    run(comment(post_id="never-there", author="nadia.ferreira@carlssoda.example"))

    assert not User.objects.filter(email="nadia.ferreira@carlssoda.example").exists()


def test_malformed_lines_are_refused_alone():
    summary, outcomes = run(
        b"\xef\xbb\xbf" + json.dumps(post()).encode(),  # a byte-order mark before the first line
        b"\xff\xfe not UTF-8",
        "[1, 2, 3]",
        "",  # a blank line is passed over
        json.dumps(post("old-post-5", text="A NUL \x00 in the text")),
        json.dumps(post("old-post-6", text="A lone surrogate \ud800")),
        json.dumps({**post("old-post-7"), "created_at": "yesterday"}),
        json.dumps({**post("old-post-8"), "created_at": "0001-01-01T00:00:00+05:00"}),
        json.dumps({**post("old-post-9"), "external_id": ["a", "list"]}),
        "1" * 5_000,
        comment("old-comment-11"),
    )
    results = by_line(outcomes)

    assert results[1] == (CREATED, "")
    assert results[11] == (CREATED, "")
    assert 4 not in results
    assert results[2] == (REFUSED, "the line is not UTF-8 text")
    assert results[3] == (REFUSED, "not a JSON object")
    assert results[5] == (REFUSED, "text contains a NUL character, which cannot be stored")
    assert results[6][1].startswith("text contains a lone surrogate")
    assert results[7] == (REFUSED, "created_at 'yesterday' is not an ISO 8601 date and time")
    assert results[8] == (REFUSED, "created_at '0001-01-01T00:00:00+05:00' is before 1970 or in the future")
    assert results[9] == (REFUSED, "external_id must be a string")
    assert results[10][0] == REFUSED
    assert Post.objects.count() == 1
    assert PostComment.objects.count() == 1


def test_lines_refer_to_posts_and_ideas_in_the_database_or_earlier_in_the_file():
    run(post(), idea())
    # Batches of two lines: the comment on old-post-2 and the votes come in later batches than what they name.
    summary, outcomes = run(
        comment("c-1", post_id="old-post-1"),  # a post of the first run, in the database
        post("old-post-2"),
        vote("v-1", author=MARIA),  # an idea of the first run
        comment("c-2", post_id="old-post-2"),  # a post earlier in this file, one batch before
        comment("c-3", post_id="old-post-3"),  # a post later in the file: not yet there
        post("old-post-3"),
        idea("old-idea-2", title="Solar panels on the warehouse roof"),
        vote("v-2", idea_id="old-idea-2", author=MARIA),
        vote("v-3", idea_id="old-idea-2", author=DEV),
        batch_size=2,
    )
    results = by_line(outcomes)

    assert [n for n, (outcome, _) in results.items() if outcome == REFUSED] == [5]
    assert results[5][1] == "unknown post 'old-post-3': not in the database nor earlier in the file"
    assert Post.objects.get(external_id="old-post-2").comments.get().external_id == "c-2"
    assert Idea.objects.get(external_id="old-idea-1").vote_count == 1
    assert Idea.objects.get(external_id="old-idea-2").vote_count == 2


def test_imported_votes_count_exactly_beside_votes_cast_in_the_app():
    run(idea())
    the_idea = Idea.objects.get()
    idea_vote(idea=the_idea, voter=employee(email="ines.moreau@carlssoda.example"))
    voters = [f"voter{n}@carlssoda.example" for n in range(7)]

    run(*[vote(f"v-{n}", author=email) for n, email in enumerate(voters)], batch_size=3)

    the_idea.refresh_from_db()
    assert the_idea.vote_count == IdeaVote.objects.filter(idea=the_idea).count() == 8


def test_a_vote_on_an_idea_merged_into_another_is_refused():
    run(idea(), idea("old-idea-2", title="Cherry fizz, sugar free"))
    Idea.objects.filter(external_id="old-idea-2").update(merged_into=Idea.objects.get(external_id="old-idea-1"))

    summary, outcomes = run(vote(idea_id="old-idea-2"))

    assert by_line(outcomes)[1] == (REFUSED, "idea 'old-idea-2' was merged into another idea: no new votes")


def test_the_same_author_and_title_twice_is_refused():
    summary, outcomes = run(idea(), idea("old-idea-2", title="SUGAR-FREE cherry fizz in the vending machines"))

    assert by_line(outcomes)[2] == (
        REFUSED, f"{DEV} already has an idea titled 'SUGAR-FREE cherry fizz in the vending machines'"
    )  # fmt: skip


def test_anonymous_feedback_keeps_no_author_and_no_external_id_and_comes_in_once():
    known = employee(email=MARIA)
    lines = [
        feedback("anon-7", anonymous=True, author=MARIA),  # an author given all the same
        feedback("anon-8", anonymous=True, author="stranger@carlssoda.example"),
    ]
    run(*lines)

    rows = list(Feedback.objects.all())
    assert len(rows) == 2
    assert all(row.anonymous and row.author is None and row.external_id is None for row in rows)
    assert not Feedback.objects.filter(author=known).exists()
    # No account was made from an anonymous line's address.
    assert not User.objects.filter(email="stranger@carlssoda.example").exists()
    # Only digests remember the lines, linked to nothing; the ids themselves are nowhere.
    assert set(ImportedKey.objects.values_list("digest", flat=True)) == {
        anonymous_key_digest("anon-7"), anonymous_key_digest("anon-8")
    }  # fmt: skip
    assert not any("anon-" in value for row in Feedback.objects.values_list() for value in map(str, row))

    summary, outcomes = run(*lines)

    assert [o.outcome for o in outcomes] == [SKIPPED, SKIPPED]
    assert Feedback.objects.count() == 2


def test_unknown_authors_get_inactive_employee_accounts_and_known_ones_are_found_whatever_the_case():
    known = employee(email=DEV)
    summary, _ = run(post(author="Maria.Okafor@CarlsSoda.example"), comment(author="DEV.Lindqvist@carlssoda.example"))

    assert summary.accounts_created == 1
    maria = User.objects.get(email=MARIA)
    assert not maria.is_active
    assert not maria.has_usable_password()
    assert maria.name == "Maria Okafor"
    assert maria.has_role(Role.EMPLOYEE)
    assert ImportedAccount.objects.filter(user=maria).exists()
    assert EmailAddress.objects.get(user=maria).email == MARIA
    assert PostComment.objects.get().author == known
    assert User.objects.count() == 2


def test_an_author_whose_account_is_not_an_employees_is_refused(make_user):
    ambassador = make_user(email="amy.fan@customers.example", roles=[Role.AMBASSADOR])

    summary, outcomes = run(post(author=ambassador.email))

    assert by_line(outcomes)[1] == (REFUSED, "the account of amy.fan@customers.example is not an employee's")
    assert not Post.objects.exists()


def test_an_imported_account_is_claimed_by_password_reset(client):
    run(post())
    maria = User.objects.get(email=MARIA)
    assert not client.login(email=MARIA, password=NEW_PASSWORD)

    client.post("/accounts/password/reset/", {"email": MARIA})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [MARIA]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    maria.refresh_from_db()
    assert maria.is_active
    assert maria.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=maria).verified
    assert not ImportedAccount.objects.filter(user=maria).exists()
    signed_in = client.post("/accounts/login/", {"login": MARIA, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/intranet/ideas/").status_code == 200


def test_an_inactive_account_that_was_not_imported_gets_no_reset_link(client):
    gone = employee(email="left.in.2023@carlssoda.example")
    User.objects.filter(pk=gone.pk).update(is_active=False)

    client.post("/accounts/password/reset/", {"email": gone.email})

    assert all("/accounts/password/reset/key/" not in message.body for message in mail.outbox)


def test_script_and_html_in_imported_text_are_rendered_harmless():
    attack = (
        '<script>alert("x")</script> <img src=x onerror=alert(1)> '
        "[click](javascript:alert(1)) [menu](https://carlssoda.example/menu)"
    )
    run(post(text=attack), comment(text=attack))

    for html in (Post.objects.get().html, PostComment.objects.get().html):
        assert "<script" not in html
        assert "<img" not in html
        assert 'href="javascript' not in html  # the link is left as text
        assert '<a href="https://carlssoda.example/menu" rel="nofollow noopener">menu</a>' in html
        assert "&lt;script&gt;" in html  # shown as text


def test_importing_notifies_nobody_and_sends_no_email():
    employee(email=DEV)
    run(post(text="Thanks @dev.lindqvist!"), comment(), idea(author=MARIA), vote(author=DEV), feedback())

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_command_prints_a_summary_and_the_refused_lines_and_writes_a_report(tmp_path, capsys):
    source = tmp_path / "old-intranet.jsonl"
    source.write_text("\n".join([json.dumps(post(group="Bottling Line")), "{oops", json.dumps(comment())]) + "\n")
    report = tmp_path / "report.jsonl"

    call_command("intranet_import", str(source), "--report", str(report), "--no-progress")
    out = capsys.readouterr().out

    assert f"Imported {source}: 3 lines" in out
    assert re.search(r"^post\s+1\s+0\s+0$", out, re.M)
    assert re.search(r"^comment\s+1\s+0\s+0$", out, re.M)
    assert re.search(r"^unreadable\s+0\s+0\s+1$", out, re.M)
    assert "2 inactive employee account(s) made" in out
    assert "1 group(s) made." in out
    assert "line 2: unreadable refused: not valid JSON" in out
    assert [json.loads(line)["outcome"] for line in report.read_text().splitlines()] == [CREATED, REFUSED, CREATED]

    call_command("intranet_import", str(source), "--no-progress")
    again = capsys.readouterr().out
    assert re.search(r"^total\s+0\s+2\s+1$", again, re.M)


def test_the_command_says_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("intranet_import", str(tmp_path / "missing.jsonl"), "--no-progress")


def test_the_command_shows_no_progress_bar_off_a_terminal_and_prints_every_line_at_verbosity_2(tmp_path, capsys):
    source = tmp_path / "old-intranet.jsonl"
    source.write_text(json.dumps(post()) + "\n" + json.dumps(post()) + "\n")

    call_command("intranet_import", str(source), verbosity=2)  # pytest's stderr is no terminal
    captured = capsys.readouterr()

    assert captured.err == ""
    assert "line 1: post 'old-post-1' created" in captured.out
    assert "line 2: post 'old-post-1' skipped: line 1 has the same external_id" in captured.out


def test_progress_counts_every_line_of_the_file_blank_ones_too():
    done = []
    intranet_import(lines=[json.dumps(post()), "", json.dumps(post("old-post-2")), "  "], batch_size=1,
                    on_progress=done.append)  # fmt: skip

    assert sum(done) == 4


def test_mentions_of_colleagues_are_linked_as_in_the_app_and_nobody_is_notified():
    ines = employee(email="ines.author@carlssoda.example", name="Ines Author")

    run(post(text="Thanks @ines.author and @nobody.here for the night shift!"), comment(text="cc @Ines.Author"))

    post_html, comment_html = Post.objects.get().html, PostComment.objects.get().html
    assert f'<a href="/intranet/people/{ines.pk}/" rel="nofollow noopener">@Ines Author</a>' in post_html
    assert "@nobody.here" in post_html  # no such colleague: left as text
    assert "@Ines Author</a>" in comment_html
    assert not Notification.objects.exists()
