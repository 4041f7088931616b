from django import forms

from intranet.models import Profile

VISIBILITY = [
    "show_photo",
    "show_title",
    "show_department",
    "show_location",
    "show_start_date",
    "show_bio",
    "show_skills",
]


class ProfileForm(forms.Form):
    photo = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text="JPEG, PNG, GIF or WebP, 5 MB at most. We keep a 512-pixel copy without metadata (EXIF, location).",
    )
    remove_photo = forms.BooleanField(required=False, label="Remove my photo")
    title = forms.CharField(max_length=100, required=False, label="Job title")
    location = forms.CharField(
        max_length=100, required=False, help_text="Your office or site, e.g. “Portland bottling plant”."
    )
    start_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Start date")
    bio = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 5}), label="About me")
    skills = forms.CharField(
        max_length=1000, required=False, help_text="Separated by commas, e.g. “flavour chemistry, Excel”."
    )
    interests = forms.CharField(max_length=1000, required=False, help_text="Separated by commas, e.g. “cycling, jazz”.")
    show_photo = forms.BooleanField(required=False, label="My photo")
    show_title = forms.BooleanField(required=False, label="My job title")
    show_department = forms.BooleanField(required=False, label="My departments")
    show_location = forms.BooleanField(required=False, label="My location")
    show_start_date = forms.BooleanField(required=False, label="My start date (and me among the new joiners)")
    show_bio = forms.BooleanField(required=False, label="About me")
    show_skills = forms.BooleanField(required=False, label="My skills and interests")

    @classmethod
    def initial_for(cls, profile: Profile | None) -> dict:
        if profile is None:
            return {name: Profile._meta.get_field(name).default for name in VISIBILITY}
        return {
            "title": profile.title,
            "location": profile.location,
            "start_date": profile.start_date,
            "bio": profile.bio,
            "skills": ", ".join(s.name for s in profile.skills.all()),
            "interests": ", ".join(s.name for s in profile.interests.all()),
        } | {name: getattr(profile, name) for name in VISIBILITY}

    def details(self):
        return [
            self[name]
            for name in ("photo", "remove_photo", "title", "location", "start_date", "bio", "skills", "interests")
        ]

    def visibility(self):
        return [self[name] for name in VISIBILITY]


class InviteForm(forms.Form):
    name = forms.CharField(max_length=150, label="Their name")
    email = forms.EmailField(label="Their email address", help_text="Any address: a work address or not.")
