"""Writes for workplace feedback, suggestions and the eNPS pulse.

Anonymous means anonymous: an anonymous row gets no author (a check constraint holds it), the day but
not the time, a random key, and nothing here logs, notifies or stores who sent it. A retry of the same
form finds the row made the first time (`Feedback.digest`, made from the content only).
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, User
from accounts.services import notify
from core.exceptions import ApplicationError
from core.validators import text_clean
from intranet.feedback_selectors import feedback_may_answer, org_today, quarter_bounds, quarter_of
from intranet.models import Feedback, PulseParticipation, PulseResponse


class FeedbackNotAllowed(ApplicationError):
    status_code = 403
    code = "permission_denied"


def _digest(*parts) -> str:
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


def feedback_give(
    *,
    author: User,
    text: str,
    kind: str = Feedback.Kind.FEEDBACK,
    topic: str = Feedback.Topic.OTHER,
    department: Department | None = None,
    anonymous: bool = False,
) -> tuple[Feedback, bool]:
    """(feedback, created). `author` is who is signed in; with `anonymous` it is used for nothing at all.

    The department is the one the giver chose to say (optional). A retry (the same words, kind, topic and
    department on the same day, from the same person or anonymously) returns the first row; two people
    writing the very same anonymous words on the same day count once."""
    text = text_clean(text, "text", max_length=5_000)
    if kind not in Feedback.Kind.values:
        raise ValidationError({"kind": f"One of {', '.join(Feedback.Kind.values)}."})
    if topic not in Feedback.Topic.values:
        raise ValidationError({"topic": f"One of {', '.join(Feedback.Topic.values)}."})
    day = org_today()
    by = None if anonymous else author
    digest = _digest("anonymous" if by is None else by.pk, kind, topic, department.pk if department else "", day, text)
    try:
        with transaction.atomic():
            return (
                Feedback.objects.create(
                    kind=kind,
                    topic=topic,
                    text=text,
                    anonymous=anonymous,
                    author=by,
                    department=department,
                    created_on=day,
                    digest=digest,
                ),
                True,
            )
    except IntegrityError:
        return Feedback.objects.get(digest=digest), False


def suggestion_answer(*, suggestion: Feedback, by: User, answer: str) -> Feedback:
    """Answer a suggestion publicly (or change the answer): the Customer Advisory Council (for now the
    moderate_intranet permission) and staff. A named author is notified; for an anonymous one nobody is,
    and nothing is stored for anyone."""
    answer = text_clean(answer, "answer", max_length=5_000)
    if not feedback_may_answer(user=by):
        raise FeedbackNotAllowed("Only the Customer Advisory Council and staff answer suggestions.")
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=suggestion.pk)
        if locked.kind != Feedback.Kind.SUGGESTION:
            raise ApplicationError("Only suggestions are answered publicly.")
        if locked.answer == answer:
            return locked  # a retry: no second notification
        first = not locked.answer
        locked.answer, locked.answered_by, locked.answered_at = answer, by, timezone.now()
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        if locked.author_id and not locked.anonymous and locked.author_id != by.pk:
            what = "got an answer" if first else "has a new answer"
            notify(users=[locked.author], text=f"Your suggestion {what}.", url=reverse("intranet:feedback_mine"))
    return locked


def pulse_answer(
    *, user: User, score: int, comment: str = "", department: Department | None = None, today=None
) -> bool:
    """Record `user`'s eNPS answer for this quarter: True when recorded, False when they had answered.

    One transaction writes both rows: PulseParticipation (that they answered, unique per quarter) and
    PulseResponse (what, with no link to them and no day but its quarter's first). A retry after a
    success finds the participation and writes nothing; a failure writes neither, so the answer can
    be given again."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise ValidationError({"score": "A whole number from 0 to 10."})
    comment = text_clean(comment, "comment", max_length=2_000, required=False)
    day = today or org_today()
    quarter = quarter_of(day)
    try:
        with transaction.atomic():
            PulseParticipation.objects.create(user=user, quarter=quarter)
            PulseResponse.objects.create(
                quarter=quarter,
                score=score,
                comment=comment,
                department=department,
                created_on=quarter_bounds(quarter)[0],  # not the day: see the model
            )
    except IntegrityError:
        return False
    return True
