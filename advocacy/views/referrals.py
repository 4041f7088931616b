"""Referral pages: `/r/<code>` for anyone, kits for ambassadors, and for program managers the kits,
the referral report and the fraud review. Thin over advocacy.services.referrals and its selectors."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import permission_required, role_required
from accounts.roles import Role
from advocacy.forms import AssetForm, FloodReviewForm, KitForm, PostForm
from advocacy.models import MANAGE_PROGRAM, Conversion, Kit, KitAsset, Membership, ReferralLink, SuggestedPost
from advocacy.selectors.program import membership_of
from advocacy.selectors.referrals import (
    KitNotFound,
    click_flood_size,
    click_floods_held,
    conversions_held,
    kit_open_with_link,
    kit_performance,
    kits_for_staff,
    referral_series,
    referral_series_weekly,
    referral_totals,
)
from advocacy.services.referrals import (
    ReviewError,
    click_flood_review,
    conversion_review,
    kit_archive,
    kit_asset_add,
    kit_asset_delete,
    kit_save,
    kit_unarchive,
    referral_follow,
    referral_link_for_code,
    suggested_post_add,
    suggested_post_delete,
)
from advocacy.views.readers import may_manage, readers_only
from advocacy.views.refuse import refused
from core.charts import LineChart
from core.confirm import confirmation
from core.forms import form_add_service_errors

managers_only = permission_required(MANAGE_PROGRAM)
T = "advocacy/referrals/"


# --- /r/<code>: anyone -------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def follow(request, code: str):
    """Anyone: a referral link. Redirects (302), counting the click once per visitor and day.

    The hot path: one lookup, and one insert with its activity when the click counts. It never
    reads the session or the user, so no session is loaded or written. An unknown code goes to
    the brand's site (ADVOCACY_FALLBACK_URL), as an ended kit's does: the visitor is a customer,
    and Rapport's own pages are nothing to them.
    """
    link = referral_link_for_code(code)
    if link is None:
        location = settings.ADVOCACY_FALLBACK_URL
    else:
        try:
            address = get_adapter(request).get_client_ip(request)
        except PermissionDenied:  # no usable address: such visitors are all one visitor (no farming)
            address = ""
        location = referral_follow(
            link=link,
            address=address,
            user_agent=request.headers.get("User-Agent", ""),
            channel_slug=request.GET.get("ch", ""),
            method=request.method,
        ).location
    response = HttpResponseRedirect(location)
    response["Cache-Control"] = "private, no-store"  # each visit must reach us to be counted
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- Ambassadors -------------------------------------------------------------------


def _member(request) -> Membership:
    membership = membership_of(request.user)
    if membership is None or membership.status == Membership.Status.ALUMNI:
        raise Http404("Not a member.")
    return membership


def _open_kit(membership: Membership, pk: int):
    try:
        return kit_open_with_link(membership, pk)
    except KitNotFound as exc:
        raise Http404(exc.message) from None


@role_required(Role.AMBASSADOR)
def ambassador_kit(request, pk: int):
    """Ambassadors: one open kit, their own referral link, and suggested posts with copy buttons."""
    membership = _member(request)
    kit, link = _open_kit(membership, pk)
    share_url = request.build_absolute_uri(reverse("advocacy:referral", kwargs={"code": link.code}))
    posts = [{"post": post, "link": f"{share_url}?ch={post.channel.slug}"} for post in kit.suggested_posts.all()]
    return render(
        request,
        T + "ambassador_kit.html",
        {"kit": kit, "share_url": share_url, "posts": posts, "membership": membership},
    )


@role_required(Role.AMBASSADOR)
def ambassador_kit_asset(request, pk: int, asset_pk: int):
    """Ambassadors: download a file of an open kit."""
    kit, _ = _open_kit(_member(request), pk)
    return _asset_file(kit, asset_pk)


def _asset_file(kit: Kit, asset_pk: int):
    asset = get_object_or_404(KitAsset, pk=asset_pk, kit=kit)
    if not asset.file:
        return redirect(asset.url)
    # Always a download, never rendered inline: an uploaded file must not run as a page of ours.
    response = FileResponse(asset.file.open("rb"), as_attachment=True, filename=asset.file.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Program managers: kits -----------------------------------------------------------


@managers_only
def kits(request):
    """Program managers: the share kits, or with `?archived=1` the archived ones."""
    archived = request.GET.get("archived") == "1"
    context = {"kits": kits_for_staff(archived=archived), "archived": archived, "today": timezone.localdate()}
    return render(request, T + "kits.html", context)


@managers_only
@require_POST
def kit_archive_view(request, pk: int):
    """Program managers: archive a kit (`action=archive`) or bring it back (`action=unarchive`)."""
    kit = get_object_or_404(Kit, pk=pk)
    if request.POST.get("action") == "unarchive":
        kit_unarchive(kit=kit, by=request.user)
        messages.success(request, f"“{kit.title}” is back: ambassadors see it again while it runs.")
        return redirect("advocacy:kit_edit", pk=kit.pk)
    kit_archive(kit=kit, by=request.user)
    messages.success(
        request, f"“{kit.title}” is archived: ambassadors no longer see it; its history stays in the reports."
    )
    return redirect("advocacy:kits")


@managers_only
@require_http_methods(["GET", "POST"])
def kit_edit(request, pk: int | None = None):
    """Program managers: create a kit, or change one and manage its assets and suggested posts."""
    kit = get_object_or_404(Kit, pk=pk) if pk else None
    initial = None
    if kit:
        initial = {name: getattr(kit, name) for name in KitForm.base_fields}
    form = KitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = kit_save(kit=kit, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"“{saved.title}” saved.")
            return redirect("advocacy:kit_edit", pk=saved.pk)
    return _kit_page(request, kit, form=form, status=400 if form.errors else 200)


def _kit_page(request, kit, *, form=None, asset_form=None, post_form=None, status=200):
    context = {"kit": kit, "form": form or KitForm(initial={n: getattr(kit, n) for n in KitForm.base_fields})}
    if kit is not None:
        context |= {
            "assets": kit.assets.all(),
            "posts": kit.suggested_posts.select_related("channel"),
            "asset_form": asset_form or AssetForm(),
            "post_form": post_form or PostForm(),
        }
    return render(request, T + "kit_edit.html", context, status=status)


def _kit_part_add(request, pk: int, form, add, form_name: str, done: str):
    """Add an asset or a suggested post to a kit through `add`; the kit page again, with errors, if it fails."""
    kit = get_object_or_404(Kit, pk=pk)
    if form.is_valid():
        try:
            add(kit=kit, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("advocacy:kit_edit", pk=kit.pk)
    return _kit_page(request, kit, status=400, **{form_name: form})


@managers_only
@require_POST
def kit_asset_create(request, pk: int):
    """Program managers: add a link or a file to a kit."""
    return _kit_part_add(
        request, pk, AssetForm(request.POST, request.FILES), kit_asset_add, "asset_form", "Asset added."
    )


@managers_only
@require_POST
def kit_asset_remove(request, pk: int, asset_pk: int):
    """Program managers: remove an asset from a kit."""
    kit_asset_delete(asset=get_object_or_404(KitAsset, pk=asset_pk, kit_id=pk))
    messages.success(request, "Asset removed.")
    return redirect("advocacy:kit_edit", pk=pk)


@managers_only
def kit_asset_download(request, pk: int, asset_pk: int):
    """Program managers: download a kit's file."""
    return _asset_file(get_object_or_404(Kit, pk=pk), asset_pk)


@managers_only
@require_POST
def kit_post_create(request, pk: int):
    """Program managers: add a suggested post for a channel."""
    form = PostForm(request.POST)
    return _kit_part_add(request, pk, form, suggested_post_add, "post_form", "Suggested post added.")


@managers_only
@require_POST
def kit_post_remove(request, pk: int, post_pk: int):
    """Program managers: remove a suggested post."""
    suggested_post_delete(post=get_object_or_404(SuggestedPost, pk=post_pk, kit_id=pk))
    messages.success(request, "Suggested post removed.")
    return redirect("advocacy:kit_edit", pk=pk)


# --- Program managers: report and review ----------------------------------------------


@readers_only
def report(request):
    """Program managers and readers: kit performance, referral traffic and returning customers over time."""
    days = 90
    today = timezone.localdate()
    weekly = referral_series_weekly(referral_series(days=days, today=today))
    traffic = LineChart(
        [{"name": "Counted clicks", "data": weekly["clicks"]}, {"name": "Conversions", "data": weekly["conversions"]}],
        height="260px",
        curve=False,
        colors=["#7a1f2b", "#0d6efd"],
        library={"animation": False},
    )
    returning = LineChart(
        [{"name": "Returning customers' orders", "data": weekly["returning"]}],
        height="200px",
        curve=False,
        colors=["#198754"],
        library={"animation": False},
    )
    start = today - timezone.timedelta(days=days - 1)
    return render(
        request,
        T + "report.html",
        {
            "kits": kit_performance(),
            "totals": referral_totals(start, today),
            "all_time": referral_totals(),
            "traffic_chart": traffic,
            "returning_chart": returning,
            "weekly": weekly,
            "days": days,
            "held": conversions_held().count(),
            "may_manage": may_manage(request.user),
        },
    )


@managers_only
def review(request):
    """Program managers: held conversions and flagged click floods, to approve or reject."""
    return render(request, T + "review.html", {"conversions": conversions_held(), "floods": click_floods_held()})


def _decision(request) -> bool:
    action = request.POST.get("action")
    if action not in ("approve", "reject"):
        raise Http404("Unknown action.")
    return action == "approve"


@managers_only
@require_POST
def review_conversion(request, pk: int):
    """Program managers: approve or reject a held conversion, after confirming (post/redirect/get)."""
    approve = _decision(request)
    conversion = get_object_or_404(Conversion, pk=pk)
    verb = "Approve" if approve else "Reject"
    if ask := confirmation(
        request,
        question=f"{verb} order {conversion.order_id}?",
        consequence="Approved, it counts, and its points go to the ambassador."
        if approve
        else "Rejected, it never counts, nor earns points.",
        button=f"{verb} order {conversion.order_id}",
        cancel_url=reverse("advocacy:referral_review"),
    ):
        return ask
    try:
        conversion_review(conversion=conversion, approve=approve, by=request.user)
    except ReviewError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Order {conversion.order_id} {'approved' if approve else 'rejected'}.")
    return redirect("advocacy:referral_review")


@managers_only
@require_POST
def review_flood(request, link_pk: int):
    """Program managers: approve or reject one code's flagged clicks in one hour, after confirming."""
    approve = _decision(request)
    link = get_object_or_404(ReferralLink, pk=link_pk)
    form = FloodReviewForm(request.POST)
    if not form.is_valid():
        return refused(request, form, review)
    hour = form.cleaned_data["hour"]
    verb = "Approve" if approve else "Reject"
    if ask := confirmation(
        request,
        question=f"{verb} the {click_flood_size(link=link, hour=hour)} clicks on {link.code} "
        f"at {timezone.localtime(hour):%H:00}?",
        consequence="Approved, they count, with their points." if approve else "Rejected, they are deleted.",
        button=f"{verb} the clicks",
        cancel_url=reverse("advocacy:referral_review"),
    ):
        return ask
    count = click_flood_review(link=link, hour=hour, approve=approve, by=request.user)
    messages.success(request, f"{count} clicks on {link.code} {'approved' if approve else 'rejected'}.")
    return redirect("advocacy:referral_review")


urlpatterns = [
    path("r/<str:code>", follow, name="referral"),
    path("ambassador/kits/<int:pk>/", ambassador_kit, name="ambassador_kit"),
    path("ambassador/kits/<int:pk>/assets/<int:asset_pk>/", ambassador_kit_asset, name="ambassador_kit_asset"),
    path("program/kits/", kits, name="kits"),
    path("program/kits/new/", kit_edit, name="kit_create"),
    path("program/kits/<int:pk>/", kit_edit, name="kit_edit"),
    path("program/kits/<int:pk>/archive/", kit_archive_view, name="kit_archive"),
    path("program/kits/<int:pk>/assets/", kit_asset_create, name="kit_asset_create"),
    path("program/kits/<int:pk>/assets/<int:asset_pk>/", kit_asset_download, name="kit_asset_download"),
    path("program/kits/<int:pk>/assets/<int:asset_pk>/delete", kit_asset_remove, name="kit_asset_remove"),
    path("program/kits/<int:pk>/posts/", kit_post_create, name="kit_post_create"),
    path("program/kits/<int:pk>/posts/<int:post_pk>/delete", kit_post_remove, name="kit_post_remove"),
    path("program/referrals/", report, name="referral_report"),
    path("program/referrals/review/", review, name="referral_review"),
    path("program/referrals/review/conversions/<int:pk>", review_conversion, name="referral_review_conversion"),
    path("program/referrals/review/floods/<int:link_pk>", review_flood, name="referral_review_flood"),
]
