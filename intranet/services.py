"""Writes of the intranet: profiles and their photos."""

import io
import re
import warnings
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.models import User
from intranet.models import Profile, Skill

PHOTO_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_TAGS = 20


def photo_prepare(upload) -> ContentFile:
    """The uploaded photo checked and made safe to store: a real JPEG, PNG, GIF or WebP image (its
    content, whatever its name says), not over the size and pixel limits, re-encoded as a JPEG that
    fits INTRANET_PHOTO_SIZE with no metadata (EXIF, GPS) left. Raises ValidationError otherwise."""
    return image_prepare(upload, field="photo", max_side=settings.INTRANET_PHOTO_SIZE)[0]


def image_prepare(upload, *, field: str, max_side: int, name: str = "photo.jpg") -> tuple[ContentFile, int, int]:
    """(file, width, height): `upload` checked like photo_prepare (errors on `field`), re-encoded as a
    JPEG that fits a `max_side` square, with no metadata left."""
    if upload.size > settings.INTRANET_PHOTO_MAX_BYTES:
        limit = settings.INTRANET_PHOTO_MAX_BYTES / (1024 * 1024)
        raise ValidationError({field: f"This image is too large: {limit:g} MB at most."})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as image:
                if image.format not in PHOTO_FORMATS:
                    raise ValidationError({field: "Upload a JPEG, PNG, GIF or WebP image."})
                if image.width * image.height > settings.INTRANET_PHOTO_MAX_PIXELS:
                    raise Image.DecompressionBombError
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image = ImageOps.exif_transpose(image)  # keep the way it was taken, before the EXIF goes
                image.thumbnail((max_side, max_side))
                if image.mode in ("RGBA", "LA", "P"):
                    image = image.convert("RGBA")
                    flat = Image.new("RGB", image.size, "white")
                    flat.paste(image, mask=image.getchannel("A"))
                    image = flat
                elif image.mode != "RGB":
                    image = image.convert("RGB")
                out = io.BytesIO()
                image.save(out, "JPEG", quality=85, optimize=True)  # no exif= : nothing of the original's
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError({field: "This image has too many pixels: upload a smaller one."}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError({field: "This file is not an image we can read: upload a JPEG, PNG or WebP."}) from None
    return ContentFile(out.getvalue(), name=name), width, height


def tags_parse(text: str) -> list[str]:
    """Comma-separated skills as distinct names, spaces tidied, first spelling kept."""
    names, seen = [], set()
    for part in text.split(","):
        name = re.sub(r"\s+", " ", part).strip()
        if not name:
            continue
        if len(name) > Skill._meta.get_field("name").max_length:
            raise ValidationError(f"“{name[:40]}…” is too long: 40 characters at most each.")
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    if len(names) > MAX_TAGS:
        raise ValidationError(f"{MAX_TAGS} at most.")
    return names


def _skills(names: list[str]) -> list[Skill]:
    keys = {name.casefold(): name for name in names}
    Skill.objects.bulk_create([Skill(name=name, key=key) for key, name in keys.items()], ignore_conflicts=True)
    return list(Skill.objects.filter(key__in=keys))


def profile_update(
    *,
    user,
    title: str = "",
    location: str = "",
    start_date: date | None = None,
    bio: str = "",
    skills: str = "",
    interests: str = "",
    photo=None,
    remove_photo: bool = False,
    visibility: dict[str, bool] | None = None,
) -> Profile:
    """Create or change `user`'s profile, in one transaction. A refused photo (or any bad field)
    raises ValidationError before anything is written; a replaced photo's file goes after commit."""
    errors = {}
    parsed = {}
    for field, text in (("skills", skills), ("interests", interests)):
        try:
            parsed[field] = tags_parse(text)
        except ValidationError as exc:
            errors[field] = exc.messages
    new_photo = None
    if photo is not None:
        try:
            new_photo = photo_prepare(photo)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
        profile.title, profile.location, profile.start_date, profile.bio = title, location, start_date, bio
        for name, shown in (visibility or {}).items():
            if name.startswith("show_") and hasattr(profile, name):
                setattr(profile, name, bool(shown))
        profile.full_clean(exclude=["photo", "user"])
        old_photo = profile.photo.name if (new_photo or remove_photo) else None
        if new_photo is not None:
            profile.photo.save(new_photo.name, new_photo, save=False)
            saved = profile.photo.name
        elif remove_photo:
            profile.photo = ""
        try:
            profile.save()
            profile.skills.set(_skills(parsed["skills"]))
            profile.interests.set(_skills(parsed["interests"]))
        except Exception:
            if new_photo is not None:
                profile.photo.storage.delete(saved)
            raise
        if old_photo:
            storage = profile.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo))
    return profile


# --- Invitations ------------------------------------------------------------------


def employee_invite(*, email: str, name: str, by, request=None) -> tuple[User, bool]:
    """An admin invites someone to the intranet as an employee, whatever their address's domain: an inactive
    employee account with no usable password (like intranet_import's), claimed through the link in the
    invitation email, which sets a password and activates it (intranet.claim). Inviting again someone who has
    not accepted yet sends a fresh link to the same account; (user, created)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    from accounts.roles import Role
    from accounts.services import user_create
    from core.links import absolute_url
    from intranet.models import ImportedAccount

    email = User.objects.normalize_email(email.strip()).lower()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        created = user is None
        if created:
            user = user_create(email=email, password=None, name=name.strip(), roles=(Role.EMPLOYEE,))
            User.objects.filter(pk=user.pk).update(is_active=False)
            user.is_active = False
            ImportedAccount.objects.create(user=user, invited_by=by)
        elif user.is_active:
            raise ValidationError({"email": "This person already has an account: they sign in as they are."})
        elif not ImportedAccount.objects.filter(user=user).exists():
            raise ValidationError({"email": "This account was closed: an admin reopens it in the Django admin."})
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
        )
        body = render_to_string(
            "intranet/email/invitation.txt",
            {
                "user": user,
                "by": by,
                "link": absolute_url(path, request),
                "days": settings.PASSWORD_RESET_TIMEOUT // 86_400,
            },
        )
        transaction.on_commit(
            lambda: send_mail("[Rapport] You are invited to Carl's Soda's intranet", body, None, [user.email])
        )
    return user, created
