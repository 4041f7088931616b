from django import forms
from django.core.exceptions import ValidationError

from core.forms import form_add_service_errors


class NameForm(forms.Form):
    name = forms.CharField()


def bound_form() -> NameForm:
    form = NameForm({"name": "Cherry Fizz"})
    assert form.is_valid()
    return form


def test_a_field_error_lands_on_its_field():
    form = bound_form()
    form_add_service_errors(form, ValidationError({"name": "Taken."}))
    assert form.errors == {"name": ["Taken."]}


def test_an_error_about_a_field_the_form_lacks_is_a_non_field_error():
    form = bound_form()
    form_add_service_errors(form, ValidationError({"query": "Does not parse."}))
    assert form.non_field_errors() == ["Does not parse."]


def test_a_message_without_a_field_is_a_non_field_error():
    form = bound_form()
    form_add_service_errors(form, ValidationError("Already started."))
    assert form.non_field_errors() == ["Already started."]
