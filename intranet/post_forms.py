"""Forms of the posts pages: write and edit, comment, react, groups, report and hide."""

import uuid

from django import forms

from intranet.post_services import MAX_IMAGES, REASON_MAX

MENTION_HELP = (
    "Markdown works: **bold**, *italic*, [links](https://…), lists. Mention a colleague with @ and the first part "
    "of their work address, like @eli.employee: they are notified."
)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files from one input; the service checks each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp", "multiple": True}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [single(file, initial) for file in files if file]


class PostForm(forms.Form):
    text = forms.CharField(
        label="Your post", max_length=20_000, widget=forms.Textarea(attrs={"rows": 4}), help_text=MENTION_HELP
    )
    images = MultipleImageField(
        required=False,
        help_text=f"Up to {MAX_IMAGES} images (JPEG, PNG, GIF or WebP, 5 MB each). We keep a copy without metadata.",
    )
    submit_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submit_token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class EditForm(forms.Form):
    text = forms.CharField(
        label="Text", max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}), help_text=MENTION_HELP
    )


class CommentEditForm(forms.Form):
    text = forms.CharField(
        label="Text", max_length=5_000, widget=forms.Textarea(attrs={"rows": 4}), help_text=MENTION_HELP
    )


class CommentForm(forms.Form):
    text = forms.CharField(label="Comment", max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))
    submit_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submit_token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class GroupForm(forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))
