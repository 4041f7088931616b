"""Helpers for the posts tests: employees with handles, moderators, posts and images."""

import io

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from intranet.post_services import post_create
from intranet.tests.factories import employee


def person(handle: str, name: str, **fields):
    """An employee whose work address starts with `handle` (their @mention)."""
    return employee(email=f"{handle}@carlssoda.example", name=name, **fields)


def moderator(handle: str = "mo.moderator", name: str = "Mo Moderator"):
    """An employee holding intranet.moderate_intranet."""
    user = person(handle, name)
    user.user_permissions.add(Permission.objects.get(codename="moderate_intranet", content_type__app_label="intranet"))
    return type(user).objects.get(pk=user.pk)  # a fresh object: no cached permissions


def make_post(author=None, text="Cherry Fizz is back on the Portland line this week.", **fields):
    return post_create(author=author or employee(), text=text, **fields)[0]


def jpeg(name="photo.jpg", size=(1200, 900), exif=None, fmt="JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 40))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
