"""Recognition pages: the ambassador home, logging activity, the leaderboard, stories, shout-outs, privacy.

/ambassador/… is for ambassadors (the leaderboard also for program managers), /program/… for
program managers, /stories/ for everyone. A person with the ambassador role but no membership
(an admin) gets a friendly page, never an error.
"""

import json
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import permission_required, role_required
from accounts.roles import Role, has_permission, has_role
from advocacy.badges import BADGES, BADGES_BY_SLUG
from advocacy.forms import EraseConfirmForm, ReviewForm, ShareForm, ShoutOutForm, StoryDeclineForm, StoryForm
from advocacy.models import MANAGE_PROGRAM, Membership, ShoutOut, Story
from advocacy.selectors.program import membership_of
from advocacy.selectors.recognition import (
    PERIODS,
    leaderboard,
    link_impact,
    month_start,
    points_for,
    rank_of,
    shout_outs_for,
    stories_of,
    stories_published,
    stories_reviewed,
    stories_waiting,
    story_credit,
)
from advocacy.selectors.referrals import kits_open_with_links
from advocacy.services.privacy import member_data_export, member_erase
from advocacy.services.recognition import (
    review_record,
    share_record,
    shout_out_post,
    story_decline,
    story_publish,
    story_submit,
)
from advocacy.views.refuse import refused
from core.exceptions import ApplicationError
from core.redirects import redirect_back

NEW_KIT_DAYS = 14  # a kit that opened this recently is "new" on the home
NEW_STORY_DAYS = 30

ambassadors_only = role_required(Role.AMBASSADOR)
managers_only = permission_required(MANAGE_PROGRAM)


def ambassadors_and_managers(view):
    """Ambassadors, and whoever may manage the program (insights staff, admins, later council members)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (has_role(request.user, Role.AMBASSADOR) or has_permission(request.user, MANAGE_PROGRAM)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.allowed_roles = (Role.AMBASSADOR,)
    wrapper.required_permission = MANAGE_PROGRAM
    return login_required(wrapper)


def members_only(view):
    """Anyone signed in who has a membership, former members included (privacy rights outlive the seat).

    Everyone else gets 404: the page does not exist for them.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = membership_of(request.user)
        if membership is None:
            raise Http404
        return view(request, membership, *args, **kwargs)

    return login_required(wrapper)


def _referral_url(request, link) -> str:
    return request.build_absolute_uri(reverse("advocacy:referral", args=[link.code]))


# --- The ambassador home -----------------------------------------------------


@ambassadors_only
def portal(request):
    """Ambassadors: what is new, open kits with their links, points, badges, rank, impact, stories."""
    membership = membership_of(request.user)
    if membership is None:
        return render(request, "advocacy/portal.html", {"membership": None})
    today = timezone.localdate()
    impact = link_impact(membership)
    kits = []
    for kit, link in kits_open_with_links(membership):
        clicks, conversions = impact.get(link.pk, (0, 0))
        kits.append(
            {
                "kit": kit,
                "url": reverse("advocacy:ambassador_kit", args=[kit.pk]),
                "link": _referral_url(request, link),
                "clicks": clicks,
                "conversions": conversions,
                "is_new": kit.starts_on >= today - timedelta(days=NEW_KIT_DAYS),
            }
        )
    board_month, board_all = leaderboard("month"), leaderboard("all")
    awarded = list(membership.badges.all())
    context = {
        "membership": membership,
        "kits": kits,
        "new_kits": [row for row in kits if row["is_new"]],
        "shout_outs": list(shout_outs_for(membership)),
        "new_stories": _credited(
            stories_published().filter(published_at__gte=timezone.now() - timedelta(days=NEW_STORY_DAYS))[:3]
        ),
        "points_month": points_for(membership, since=month_start()),
        "points_all": points_for(membership),
        "rank_month": rank_of(board_month, membership),
        "rank_all": rank_of(board_all, membership),
        "ranked_month": len(board_month),
        "ranked_all": len(board_all),
        "badges": [(BADGES_BY_SLUG.get(a.badge), a) for a in awarded],
        "badges_left": [rule for rule in BADGES if rule.slug not in {a.badge for a in awarded}],
        "clicks": sum(c for c, _ in impact.values()),
        "conversions": sum(v for _, v in impact.values()),
        "stories": list(stories_of(membership)[:10]),
    }
    return render(request, "advocacy/portal.html", context)


def _credited(stories):
    stories = list(stories)
    for story in stories:
        story.credit = story_credit(story)
    return stories


# --- Logging activity --------------------------------------------------------


@ambassadors_only
@require_http_methods(["GET", "POST"])
def activity(request):
    """Ambassadors: "I shared this" and "I wrote a review", and the member's own points ledger."""
    membership = membership_of(request.user)
    which = request.POST.get("form") if request.method == "POST" else None
    share_form = ShareForm(
        request.POST if which == "share" else None, prefix="share", initial={"kit": request.GET.get("kit")}
    )
    review_form = ReviewForm(request.POST if which == "review" else None, prefix="review")
    if which in ("share", "review") and membership is not None:
        form = share_form if which == "share" else review_form
        if form.is_valid():
            data = form.cleaned_data
            before = set(membership.badges.values_list("badge", flat=True))
            try:
                if which == "share":
                    recorded = share_record(
                        membership=membership, url=data["url"], channel=data["channel"], kit=data["kit"]
                    )
                else:
                    recorded = review_record(membership=membership, url=data["url"], channel=data["channel"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                if recorded is None:
                    messages.info(request, "You already logged this post: it counts once.")
                else:
                    messages.success(request, f"Thank you! +{recorded.points} points.")
                    for slug in membership.badges.exclude(badge__in=before).values_list("badge", flat=True):
                        rule = BADGES_BY_SLUG.get(slug)
                        messages.success(request, f"New badge: {rule.name if rule else slug}!")
                return redirect("advocacy:activity")
    ledger = membership.activities.select_related("kit", "channel")[:50] if membership else []
    return render(
        request,
        "advocacy/ambassador/activity.html",
        {
            "membership": membership,
            "earning": membership is not None and membership.status == Membership.Status.ACTIVE,
            "share_form": share_form,
            "review_form": review_form,
            "ledger": ledger,
        },
    )


# --- The leaderboard ---------------------------------------------------------


@ambassadors_and_managers
def leaderboard_page(request):
    """Ambassadors and program managers: active members by points, this month or all time."""
    period = request.GET.get("period", "month")
    if period not in PERIODS:
        period = "month"
    membership = membership_of(request.user)
    rows = leaderboard(period)
    return render(
        request,
        "advocacy/ambassador/leaderboard.html",
        {
            "rows": rows,
            "period": period,
            "periods": PERIODS,
            "mine": rank_of(rows, membership),
            "membership": membership,
        },
    )


# --- Stories: ambassadors ----------------------------------------------------


@ambassadors_only
@require_http_methods(["GET", "POST"])
def story_new(request):
    """Ambassadors: submit a story or a guest post, and see their own with their status."""
    membership = membership_of(request.user)
    form = StoryForm(request.POST or None)
    if request.method == "POST" and membership is not None and form.is_valid():
        try:
            story = story_submit(membership=membership, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Thank you! “{story.title}” is with the program team for review.")
            return redirect("advocacy:my_story", pk=story.pk)
    stories = list(stories_of(membership)) if membership else []
    return render(
        request, "advocacy/ambassador/story_new.html", {"form": form, "membership": membership, "stories": stories}
    )


@ambassadors_only
def my_story(request, pk: int):
    """Ambassadors: one of their own stories, with its status and the program's note. Others' → 404."""
    story = get_object_or_404(Story, pk=pk, membership__user=request.user)
    return render(request, "advocacy/ambassador/story_mine.html", {"story": story})


# --- Stories: the public -----------------------------------------------------


@require_GET
def stories(request):
    """Everyone: published stories, the author credited by first name only."""
    page = Paginator(stories_published(), 20).get_page(request.GET.get("page"))
    page.object_list = _credited(page.object_list)
    return render(request, "advocacy/ambassador/stories.html", {"page": page})


@require_GET
def story(request, slug: str):
    """Everyone: one published story."""
    found = get_object_or_404(stories_published(), slug=slug)
    found.credit = story_credit(found)
    return render(request, "advocacy/ambassador/story.html", {"story": found})


# --- Stories and shout-outs: program managers --------------------------------


@managers_only
def program_stories(request):
    """Program managers: stories waiting for review (publish or decline with a note), then the rest."""
    return render(
        request,
        "advocacy/ambassador/program_stories.html",
        {"waiting": stories_waiting(), "reviewed": stories_reviewed()},
    )


@managers_only
@require_POST
def story_review(request, pk: int, action: str):
    """Program managers: publish a story, or decline it with a note for the author."""
    found = get_object_or_404(Story, pk=pk)
    form = StoryDeclineForm(request.POST) if action == "decline" else None
    if form is not None and not form.is_valid():
        return refused(request, form, program_stories)
    try:
        if action == "publish":
            found = story_publish(story=found, by=request.user)
            messages.success(request, f"“{found.title}” is published.")
        else:
            found = story_decline(story=found, note=form.cleaned_data["note"], by=request.user)
            messages.success(request, f"“{found.title}” is declined; the author sees your note.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("advocacy:program_stories")


@managers_only
@require_http_methods(["GET", "POST"])
def shout_outs(request):
    """Program managers: recognise one member or everyone; ambassadors see it on their home."""
    form = ShoutOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shout_out_post(
                message=form.cleaned_data["message"], membership=form.cleaned_data["membership"], by=request.user
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Shout-out posted.")
            return redirect("advocacy:shout_outs")
    recent = ShoutOut.objects.select_related("membership__user", "by")[:50]
    return render(request, "advocacy/ambassador/shout_outs.html", {"form": form, "recent": recent})


@managers_only
@require_POST
def member_erase_view(request, pk: int):
    """Program managers: erase a member's personal data on their request (POST; `next` to return to)."""
    membership = get_object_or_404(Membership, pk=pk)
    if membership.erased_at:
        messages.info(request, "This member's personal data was already erased.")
    else:
        member_erase(membership=membership, by=request.user)
        messages.success(request, "The member's personal data is erased; their counts stay in the program's figures.")
    return redirect_back(request, "advocacy:member", membership.pk)


# --- Privacy -----------------------------------------------------------------


@members_only
def privacy(request, membership):
    """Members, former ones too: download my data, ask for erasure."""
    return render(request, "advocacy/ambassador/privacy.html", {"membership": membership})


@members_only
@never_cache
@require_GET
def privacy_download(request, membership):
    """Members: everything the program holds about them, as a JSON file."""
    data = member_data_export(membership)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="rapport-my-data.json"'
    return response


@members_only
@require_http_methods(["GET", "POST"])
def privacy_erase(request, membership):
    """Members: erase my personal data, after typing their email address; then they are signed out."""
    form = EraseConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        member_erase(membership=membership, by=request.user)
        logout(request)
        return render(request, "advocacy/ambassador/erased.html")
    return render(request, "advocacy/ambassador/privacy_erase.html", {"form": form, "membership": membership})


urlpatterns = [
    path("ambassador/", portal, name="portal"),
    path("ambassador/activity/", activity, name="activity"),
    path("ambassador/leaderboard/", leaderboard_page, name="leaderboard"),
    path("ambassador/stories/new/", story_new, name="story_new"),
    path("ambassador/stories/<int:pk>/", my_story, name="my_story"),
    path("ambassador/privacy/", privacy, name="privacy"),
    path("ambassador/privacy/download/", privacy_download, name="privacy_download"),
    path("ambassador/privacy/erase/", privacy_erase, name="privacy_erase"),
    path("stories/", stories, name="stories"),
    path("stories/<slug:slug>/", story, name="story"),
    path("program/stories/", program_stories, name="program_stories"),
    path("program/stories/<int:pk>/publish/", story_review, {"action": "publish"}, name="story_publish"),
    path("program/stories/<int:pk>/decline/", story_review, {"action": "decline"}, name="story_decline"),
    path("program/shout-outs/", shout_outs, name="shout_outs"),
    path("program/members/<int:pk>/erase/", member_erase_view, name="member_erase"),
]
