"""Bring an old intranet's conversation in: `intranet_import`, from a JSON Lines file (README, "Importing").

One object a line, of five types (the formats are a contract, see `_parse`):
post, comment, idea, vote and feedback. Every line comes out `created`, `skipped` (a row with its
`external_id` is there already: a second run creates nothing) or `refused` (with the line number and
the reason). A refused line writes nothing; the good lines around it are kept.

How it goes fast (100,000 lines in well under a minute on PostgreSQL): lines are read in batches; each
line is checked on its own first (JSON, fields, lengths, time zone), then the batch looks up in a few
bulk queries what it refers to (authors, posts, ideas, groups, votes and titles already there), decides
each line in file order, and writes what it accepted with `bulk_create` in one transaction. Should the
database still refuse a batch (a row written meanwhile by someone else), the batch is replayed one line
at a time, so that only the offending line is refused.

Importing sends no notification and no email: rows are written in bulk, with no signals and no service
that notifies. Authors without an account get an inactive employee account with no usable password,
which they claim by password reset (intranet.forms, intranet.signals). Anonymous feedback keeps no
author, no external id and no time of day; only a digest of its external id, linked to nothing
(ImportedKey), remembers that it came in.
"""

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group as RoleGroup
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DataError, IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_grant_roles
from intranet.markup import MENTION, markdown_render_mentions, mentions_find
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
from intranet.post_selectors import people_by_handle

BATCH_SIZE = 2_000
TYPES = ("post", "comment", "idea", "vote", "feedback")
CREATED, SKIPPED, REFUSED = "created", "skipped", "refused"
UNREADABLE = "unreadable"  # the type of a line refused before its type could be read
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)  # before it, a created_at is a mistake (and year 1 overflows)

_MAX = {
    "external_id": 100,
    "author_email": 254,
    "post": 20_000,
    "comment": 5_000,
    "title": 200,
    "description": 10_000,
    "feedback": 5_000,
    "group": 80,
}


class Refused(Exception):
    """A line that cannot come in; the message says why, for the person who made the file."""


@dataclass
class LineOutcome:
    """What became of one line of the file."""

    line: int
    type: str
    external_id: str | None
    outcome: str
    reason: str = ""

    def as_dict(self) -> dict:
        entry = {"line": self.line, "type": self.type, "external_id": self.external_id, "outcome": self.outcome}
        if self.reason:
            entry["reason"] = self.reason
        return entry

    def __str__(self) -> str:
        what = self.type if self.external_id is None else f"{self.type} {self.external_id!r}"
        return f"line {self.line}: {what} {self.outcome}" + (f": {self.reason}" if self.reason else "")


@dataclass
class ImportSummary:
    """Counts by (type, outcome), the refused lines, and the accounts and groups the import made."""

    counts: Counter = field(default_factory=Counter)
    refused: list[LineOutcome] = field(default_factory=list)
    lines: int = 0
    accounts_created: int = 0
    groups_created: int = 0

    def count(self, outcome: str, type_: str | None = None) -> int:
        return sum(n for (t, o), n in self.counts.items() if o == outcome and type_ in (None, t))


@dataclass
class _Line:
    """A line that passed the checks it can pass alone."""

    line: int
    type: str
    external_id: str
    created_at: datetime
    email: str | None = None  # the author's (lower case); None for anonymous feedback
    text: str = ""
    group: str = ""  # post
    parent: str = ""  # the post (comment) or idea (vote) external id
    title: str = ""
    category: str = Idea.Category.OTHER
    anonymous: bool = False
    note: str = ""


# --- One line on its own ---------------------------------------------------------------


def _string(data: dict, key: str, *, max_length: int, required: bool = True) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Refused(f"{key} is missing")
        return ""
    if not isinstance(value, str):
        raise Refused(f"{key} must be a string")
    value = value.strip()
    if len(value) > max_length:
        raise Refused(f"{key} is too long ({len(value):,} characters, at most {max_length:,})")
    if "\x00" in value:
        raise Refused(f"{key} contains a NUL character, which cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused(f"{key} contains a lone surrogate (\\ud800-\\udfff), which is not text") from None
    return value


def _external_id(data: dict, key: str) -> str:
    value = data.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # old systems often number their rows: 42 and "42" are the same id
        data = {key: value}
    return _string(data, key, max_length=_MAX["external_id"])


def _created_at(data: dict) -> datetime:
    value = data.get("created_at")
    if value is None:
        raise Refused("created_at is missing")
    if not isinstance(value, str):
        raise Refused("created_at must be an ISO 8601 string, like 2024-03-01T09:30:00+01:00")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise Refused(f"created_at {value[:40]!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise Refused(f"created_at {value[:40]!r} has no UTC offset (add one, like +01:00 or Z)")
    if not EARLIEST <= moment <= timezone.now() + timedelta(days=1):
        raise Refused(f"created_at {value[:40]!r} is before 1970 or in the future")
    return moment


def _email(data: dict) -> str:
    email = _string(data, "author_email", max_length=_MAX["author_email"]).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Refused(f"author_email {email[:60]!r} is not an email address") from None
    return email


_CATEGORIES = {value: value for value in Idea.Category.values} | {
    str(label).lower(): value for value, label in Idea.Category.choices
}


def _parse(number: int, raw: bytes | str) -> _Line:
    """The line checked on its own, or Refused."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused("the line is not UTF-8 text") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise Refused(f"not valid JSON ({exc.msg}, at character {exc.pos + 1})") from None
    except (ValueError, RecursionError):  # a number of thousands of digits, arrays nested thousands deep
        raise Refused("not valid JSON (a number too long or nesting too deep)") from None
    if not isinstance(data, dict):
        raise Refused("not a JSON object")
    kind = data.get("type")
    if kind not in TYPES:
        shown = kind if isinstance(kind, str) else json.dumps(kind)
        raise Refused(f"unknown type {shown[:40]!r}: one of {', '.join(TYPES)}" if kind else "type is missing")
    line = _Line(line=number, type=kind, external_id=_external_id(data, "external_id"), created_at=_created_at(data))
    if kind == "feedback":
        anonymous = data.get("anonymous")
        if not isinstance(anonymous, bool):
            raise Refused("anonymous must be true or false")
        line.anonymous = anonymous
        line.text = _string(data, "text", max_length=_MAX["feedback"])
        # An anonymous line's author_email is never read: it leaves no trace, not even an account.
        line.email = None if anonymous else _email(data)
        return line
    line.email = _email(data)
    if kind == "post":
        line.text = _string(data, "text", max_length=_MAX["post"])
        line.group = _string(data, "group", max_length=_MAX["group"], required=False)
    elif kind == "comment":
        line.parent = _external_id(data, "post_external_id")
        line.text = _string(data, "text", max_length=_MAX["comment"])
    elif kind == "idea":
        line.title = _string(data, "title", max_length=_MAX["title"])
        line.text = _string(data, "description", max_length=_MAX["description"])
        category = _string(data, "category", max_length=100, required=False)
        if category:
            line.category = _CATEGORIES.get(category.lower(), Idea.Category.OTHER)
            if category.lower() not in _CATEGORIES:
                line.note = f"category {category[:40]!r} is not one of ours: filed under Other"
    elif kind == "vote":
        line.parent = _external_id(data, "idea_external_id")
    return line


# --- The run ---------------------------------------------------------------------------


def anonymous_key_digest(external_id: str) -> str:
    """The digest that ImportedKey keeps of an anonymous feedback line's external id."""
    return hashlib.sha256(f"intranet-feedback:{external_id}".encode()).hexdigest()


def intranet_import(
    *,
    lines: Iterable[bytes | str],
    batch_size: int = BATCH_SIZE,
    on_outcome: Callable[[LineOutcome], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import `lines` (a JSON Lines file's lines); return the summary.

    `on_outcome` hears every line's outcome in file order; `on_progress` hears how many lines each batch
    finished. Blank lines are passed over (their numbers still count). Safe to run again on the same file.
    """
    run = _Run()
    summary = ImportSummary()
    batch: list[tuple[int, bytes | str]] = []
    reported = 0  # lines (blank ones too) already told to on_progress

    def flush():
        nonlocal reported
        outcomes = run.batch(batch) if batch else []
        for outcome in outcomes:
            summary.counts[(outcome.type, outcome.outcome)] += 1
            if outcome.outcome == REFUSED:
                summary.refused.append(outcome)
            if on_outcome:
                on_outcome(outcome)
        if on_progress:
            on_progress(summary.lines - reported)
        reported = summary.lines
        batch.clear()

    for number, raw in enumerate(lines, start=1):
        summary.lines = number
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf" if isinstance(raw, bytes) else "\ufeff")
        if not raw.strip():
            continue
        batch.append((number, raw))
        if len(batch) >= batch_size:
            flush()
    if batch or summary.lines > reported:
        flush()
    summary.accounts_created, summary.groups_created = run.accounts_created, run.groups_created
    return summary


_ACCOUNT = re.compile(r"[._\-+]+")


def _name_from_email(email: str) -> str:
    """A name to show until the person claims the account: "maria.gonzalez@…" → "Maria Gonzalez"."""
    words = [word for word in _ACCOUNT.split(email.split("@", 1)[0]) if word]
    return " ".join(word.capitalize() for word in words)[:150] or email


class _Run:
    """What one import remembers between its batches: the posts and ideas it wrote or found, the authors
    it looked up. Updated only after a batch committed, so a rolled-back batch leaves no false memory."""

    def __init__(self):
        self.posts: dict[str, int] = {}  # external id → pk, for comments
        self.ideas: dict[str, tuple[int, bool]] = {}  # external id → (pk, merged), for votes
        self.users: dict[str, int | str] = {}  # email → pk, or why the address cannot author
        self.accounts_created = 0
        self.groups_created = 0

    def batch(self, raw_lines: list[tuple[int, bytes | str]]) -> list[LineOutcome]:
        outcomes: dict[int, LineOutcome] = {}
        parsed: list[_Line] = []
        for number, raw in raw_lines:
            try:
                parsed.append(_parse(number, raw))
            except Refused as exc:
                outcomes[number] = LineOutcome(number, _type_of(raw), _external_id_of(raw), REFUSED, str(exc))
        try:
            outcomes.update(self._write(parsed))
        except (IntegrityError, DataError):
            # Someone wrote a conflicting row meanwhile, or a check above missed a case: replay the lines
            # one by one, so that only a line the database refuses is refused.
            for line in parsed:
                try:
                    outcomes.update(self._write([line]))
                except (IntegrityError, DataError) as exc:
                    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                    outcomes[line.line] = LineOutcome(
                        line.line, line.type, line.external_id, REFUSED, f"the database refused it ({message})"
                    )
        return [outcomes[number] for number, _ in raw_lines]

    def _write(self, lines: list[_Line]) -> dict[int, LineOutcome]:
        with transaction.atomic():
            plan = _Plan(self, lines)
            plan.decide()
            plan.write()
        # Committed: remember what this batch made.
        self.posts.update(plan.new_posts)
        self.ideas.update(plan.new_ideas)
        self.users.update(plan.users_found)
        self.users.update(plan.new_users)
        self.accounts_created += len(plan.new_users)
        self.groups_created += plan.groups_created
        return plan.outcomes


def _type_of(raw) -> str:
    try:
        kind = json.loads(raw).get("type")
    except (ValueError, AttributeError, RecursionError):
        return UNREADABLE
    return kind if kind in TYPES else UNREADABLE


def _external_id_of(raw) -> str | None:
    try:
        value = json.loads(raw).get("external_id")
    except (ValueError, AttributeError, RecursionError):
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    return str(value)[:100].encode("utf-8", "replace").decode()


class _Plan:
    """One batch: look up in bulk what its lines refer to, decide each line in file order, then write."""

    def __init__(self, run: _Run, lines: list[_Line]):
        self.run = run
        self.lines = lines
        self.outcomes: dict[int, LineOutcome] = {}
        self.accepted: list[_Line] = []
        self.new_posts: dict[str, int] = {}
        self.new_ideas: dict[str, tuple[int, bool]] = {}
        self.users_found: dict[str, int | str] = {}
        self.new_users: dict[str, int] = {}
        self.groups_created = 0

    # -- lookups ------------------------------------------------------------------------

    def _existing_external_ids(self) -> dict[str, set[str]]:
        by_type: dict[str, set[str]] = {kind: set() for kind in TYPES}
        for line in self.lines:
            by_type[line.type].add(line.external_id)
        models = {"post": Post, "comment": PostComment, "idea": Idea, "vote": IdeaVote, "feedback": Feedback}
        found = {}
        for kind, ids in by_type.items():
            found[kind] = set(models[kind].objects.filter(external_id__in=ids).values_list("external_id", flat=True))
        digests = {anonymous_key_digest(external_id): external_id for external_id in by_type["feedback"]}
        found["feedback"] |= {
            digests[digest]
            for digest in ImportedKey.objects.filter(digest__in=digests).values_list("digest", flat=True)
        }
        return found

    def _authors(self, emails: set[str]) -> dict[str, int | str]:
        """email → pk of an account that may author, or the reason it may not; unknown emails are absent."""
        known = {email: self.run.users[email] for email in emails if email in self.run.users}
        missing = emails - known.keys()
        if missing:
            role_held = User.groups.through.objects.filter(
                user_id=OuterRef("pk"), group__name__in=[Role.EMPLOYEE, Role.ADMIN]
            )
            rows = (
                User.objects.annotate(email_lower=Lower("email"), employee=Exists(role_held))
                .filter(email_lower__in=missing)
                .values_list("email_lower", "pk", "employee", "is_superuser")
            )
            for email, pk, employee, superuser in rows:
                found = pk if (employee or superuser) else f"the account of {email} is not an employee's"
                known[email] = self.users_found[email] = found
        return known

    def _parents(self, kind: str) -> set[str]:
        return {line.parent for line in self.lines if line.type == kind}

    # -- deciding -----------------------------------------------------------------------

    def decide(self) -> None:
        existing = self._existing_external_ids()
        emails = {line.email for line in self.lines if line.email}
        authors = self._authors(emails)
        post_refs = self._parents("comment") - self.run.posts.keys()
        db_posts = {
            ext: (pk, hidden is not None)
            for ext, pk, hidden in Post.objects.filter(external_id__in=post_refs).values_list(
                "external_id", "pk", "hidden_at"
            )
        }
        idea_refs = self._parents("vote") - self.run.ideas.keys()
        db_ideas = {
            ext: (pk, merged is not None)
            for ext, pk, merged in Idea.objects.filter(external_id__in=idea_refs).values_list(
                "external_id", "pk", "merged_into_id"
            )
        }
        ideas_known = {**self.run.ideas, **db_ideas}
        author_pks = {pk for pk in authors.values() if isinstance(pk, int)}
        voted_ideas = {ideas_known[ext][0] for ext in self._parents("vote") if ext in ideas_known}
        voted = set()
        if voted_ideas and author_pks:
            voted = set(
                IdeaVote.objects.filter(idea_id__in=voted_ideas, voter_id__in=author_pks).values_list(
                    "idea_id", "voter_id"
                )
            )
        titles = {line.title.lower() for line in self.lines if line.type == "idea"}
        titled = set()
        if titles and author_pks:
            titled = set(
                Idea.objects.annotate(title_lower=Lower("title"))
                .filter(author_id__in=author_pks, title_lower__in=titles)
                .values_list("author_id", "title_lower")
            )

        seen: dict[tuple[str, str], int] = {}  # (type, external id) → line, accepted in this batch
        batch_posts: dict[str, int] = {}  # external id → line, posts accepted in this batch
        batch_ideas: dict[str, int] = {}
        new_authors: set[str] = set()
        domains = settings.EMPLOYEE_EMAIL_DOMAINS

        for line in self.lines:
            key = (line.type, line.external_id)
            try:
                if line.external_id in existing[line.type]:
                    self._outcome(line, SKIPPED, "already imported: this external_id is there")
                    continue
                if key in seen:
                    self._outcome(line, SKIPPED, f"line {seen[key]} has the same external_id")
                    continue
                author = self._author(line, authors, domains)
                if author is None and line.email:
                    new_authors.add(line.email)
                author_key = author if author is not None else f"new:{line.email}"
                if line.type == "comment":
                    if line.parent in self.run.posts or line.parent in batch_posts:
                        pass
                    elif line.parent in db_posts:
                        if db_posts[line.parent][1]:
                            raise Refused(f"post {line.parent!r} was hidden by a moderator: no new comments")
                    else:
                        raise Refused(f"unknown post {line.parent!r}: not in the database nor earlier in the file")
                elif line.type == "idea":
                    title_key = (author_key, line.title.lower())
                    if title_key in titled:
                        raise Refused(f"{line.email} already has an idea titled {line.title[:60]!r}")
                    titled.add(title_key)
                elif line.type == "vote":
                    if line.parent in batch_ideas:
                        idea_key = f"line:{batch_ideas[line.parent]}"
                    elif line.parent in ideas_known:
                        pk, merged = ideas_known[line.parent]
                        if merged:
                            raise Refused(f"idea {line.parent!r} was merged into another idea: no new votes")
                        idea_key = pk
                    else:
                        raise Refused(f"unknown idea {line.parent!r}: not in the database nor earlier in the file")
                    if (idea_key, author_key) in voted:
                        raise Refused(f"{line.email} has voted for idea {line.parent!r} already")
                    voted.add((idea_key, author_key))
            except Refused as exc:
                self._outcome(line, REFUSED, str(exc))
                continue
            seen[key] = line.line
            if line.type == "post":
                batch_posts[line.external_id] = line.line
            elif line.type == "idea":
                batch_ideas[line.external_id] = line.line
            self.accepted.append(line)
            self._outcome(line, CREATED, line.note)
        self.authors = {email: pk for email, pk in authors.items() if isinstance(pk, int)}
        used = {line.email for line in self.accepted if line.email}
        self.to_create = sorted(new_authors & used)

    def _author(self, line: _Line, authors: dict, domains) -> int | None:
        """The author's pk; None when an account is to be made; Refused when the address cannot author."""
        if line.email is None:
            return None
        found = authors.get(line.email)
        if isinstance(found, str):
            raise Refused(found)
        if found is None and domains and line.email.rsplit("@", 1)[-1] not in domains:
            shown = ", ".join(f"@{domain}" for domain in domains)
            raise Refused(f"{line.email} has no account and is not a company address ({shown})")
        return found

    def _outcome(self, line: _Line, outcome: str, reason: str = "") -> None:
        self.outcomes[line.line] = LineOutcome(line.line, line.type, line.external_id, outcome, reason)

    # -- writing ------------------------------------------------------------------------

    def write(self) -> None:
        users = {**self.authors, **self._accounts_create()}
        groups = self._groups_resolve(users)
        now = timezone.now()
        by_type: dict[str, list[_Line]] = {kind: [] for kind in TYPES}
        for line in self.accepted:
            by_type[line.type].append(line)

        render = _mention_renderer(by_type["post"] + by_type["comment"])
        posts = Post.objects.bulk_create(
            Post(
                author_id=users[line.email],
                group_id=groups[line.group.lower()] if line.group else None,
                text=line.text,
                html=render(line.text),
                created_at=line.created_at,
                external_id=line.external_id,
            )
            for line in by_type["post"]
        )
        self.new_posts = {post.external_id: post.pk for post in posts}
        GroupMembership.objects.bulk_create(
            {
                (groups[line.group.lower()], users[line.email]): GroupMembership(
                    group_id=groups[line.group.lower()], user_id=users[line.email], joined_at=now
                )
                for line in by_type["post"]
                if line.group
            }.values(),
            ignore_conflicts=True,
        )
        post_pks = {**self.run.posts, **self.new_posts}
        missing_posts = {line.parent for line in by_type["comment"]} - post_pks.keys()
        post_pks.update(Post.objects.filter(external_id__in=missing_posts).values_list("external_id", "pk"))
        PostComment.objects.bulk_create(
            PostComment(
                post_id=post_pks[line.parent],
                author_id=users[line.email],
                text=line.text,
                html=render(line.text),
                created_at=line.created_at,
                external_id=line.external_id,
            )
            for line in by_type["comment"]
        )

        ideas = Idea.objects.bulk_create(
            Idea(
                author_id=users[line.email],
                title=line.title,
                description=line.text,
                category=line.category,
                created_at=line.created_at,
                external_id=line.external_id,
            )
            for line in by_type["idea"]
        )
        self.new_ideas = {idea.external_id: (idea.pk, False) for idea in ideas}
        idea_pks = {ext: pk for ext, (pk, _) in self.run.ideas.items()} | {
            ext: pk for ext, (pk, _) in self.new_ideas.items()
        }
        missing_ideas = {line.parent for line in by_type["vote"]} - idea_pks.keys()
        idea_pks.update(Idea.objects.filter(external_id__in=missing_ideas).values_list("external_id", "pk"))
        votes = IdeaVote.objects.bulk_create(
            IdeaVote(
                idea_id=idea_pks[line.parent],
                voter_id=users[line.email],
                created_at=line.created_at,
                external_id=line.external_id,
            )
            for line in by_type["vote"]
        )
        _vote_counts_refresh({vote.idea_id for vote in votes})

        org_tz = timezone.get_default_timezone()
        Feedback.objects.bulk_create(
            Feedback(
                text=line.text,
                anonymous=line.anonymous,
                author_id=None if line.anonymous else users[line.email],
                created_on=timezone.localtime(line.created_at, org_tz).date(),
                external_id=None if line.anonymous else line.external_id,
            )
            for line in by_type["feedback"]
        )
        ImportedKey.objects.bulk_create(
            ImportedKey(digest=anonymous_key_digest(line.external_id)) for line in by_type["feedback"] if line.anonymous
        )

    def _accounts_create(self) -> dict[str, int]:
        """Inactive employee accounts, with no usable password, for the authors who have none."""
        if not self.to_create:
            return {}
        users = User.objects.bulk_create(
            User(email=email, name=_name_from_email(email), is_active=False, password=make_password(None))
            for email in self.to_create
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user_id=user.pk, email=user.email, primary=True, verified=False) for user in users
        )
        employee = RoleGroup.objects.filter(name=Role.EMPLOYEE).first()
        if employee is None:  # a flushed database: the role's group (with its permissions) is made once
            user_grant_roles(user=users[0], roles=[Role.EMPLOYEE])
            employee = RoleGroup.objects.get(name=Role.EMPLOYEE)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=employee.pk) for user in users], ignore_conflicts=True
        )
        ImportedAccount.objects.bulk_create(ImportedAccount(user_id=user.pk) for user in users)
        self.new_users = {user.email: user.pk for user in users}
        return self.new_users

    def _groups_resolve(self, users: dict[str, int]) -> dict[str, int]:
        """Lower-case group name → pk, making the groups that are missing (with a free slug)."""
        names: dict[str, tuple[str, _Line]] = {}
        for line in self.accepted:
            if line.type == "post" and line.group and line.group.lower() not in names:
                names[line.group.lower()] = (line.group, line)
        if not names:
            return {}
        found = dict(
            Group.objects.annotate(name_lower=Lower("name"))
            .filter(name_lower__in=names)
            .values_list("name_lower", "pk")
        )
        missing = [(key, name, line) for key, (name, line) in names.items() if key not in found]
        if missing:
            bases = {key: (slugify(name)[:70] or "group") for key, name, _ in missing}
            near = Q(slug__in=bases.values())
            for base in bases.values():
                near |= Q(slug__startswith=f"{base}-")
            taken = set(Group.objects.filter(near).values_list("slug", flat=True))
            created = []
            for key, name, line in missing:
                slug, n = bases[key], 1
                while slug in taken:
                    n += 1
                    slug = f"{bases[key]}-{n}"
                taken.add(slug)
                created.append(Group(name=name, slug=slug, created_by_id=users[line.email], created_at=line.created_at))
            for group in Group.objects.bulk_create(created):
                found[group.name.lower()] = group.pk
            self.groups_created = len(created)
        return found


def _vote_counts_refresh(idea_pks: set[int]) -> None:
    """Recount the votes of these ideas: exact whatever was there before."""
    if not idea_pks:
        return
    votes = IdeaVote.objects.filter(idea=OuterRef("pk")).order_by().values("idea").annotate(n=Count("pk")).values("n")
    Idea.objects.filter(pk__in=idea_pks).update(vote_count=Coalesce(Subquery(votes), 0))


def _mention_renderer(lines):
    """Markdown → sanitised HTML for this batch's posts and comments, with @mentions of today's employees
    linked as the app links them (one query for the batch). Nobody is notified: it is history."""
    handles = {handle for line in lines if MENTION.search(line.text) for handle in mentions_find(line.text)}
    people = people_by_handle(handles) if handles else {}
    links = {
        handle: (reverse("intranet:person", args=[user.pk]), user.get_full_name() or handle)
        for handle, user in people.items()
    }
    return lambda text: markdown_render_mentions(text, links)
