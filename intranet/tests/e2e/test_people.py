"""People in the browser: an employee fills their profile with a photo and finds it in the directory."""

import re

import pytest
from PIL import Image

from accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The width of a picture once it has loaded (0 if it fails to).
LOADED_WIDTH = """img => img.complete ? img.naturalWidth :
    new Promise(done => { img.onload = () => done(img.naturalWidth); img.onerror = () => done(0); })"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def portrait(tmp_path):
    path = tmp_path / "portrait.jpg"
    Image.new("RGB", (900, 700), (180, 40, 60)).save(path, "JPEG")
    return path


def test_an_employee_fills_their_profile_and_finds_it_in_the_directory(phone, sign_in, make_user, portrait, screenshot):
    make_user(email="mia.quill@carlssoda.example", name="Mia Quill", roles=[Role.EMPLOYEE])
    sign_in(make_user("eli.employee"), on=phone)
    phone.goto("/intranet/")
    phone.get_by_role("link", name="My profile").click()
    phone.get_by_role("textbox", name="Job title").fill("Flavour chemist")
    phone.get_by_role("textbox", name="Location").fill("Portland plant")
    phone.get_by_role("textbox", name="Skills").fill("Fermentation, Excel")
    phone.get_by_role("textbox", name="About me").fill("I taste every batch of Cherry Fizz.")
    phone.get_by_label(re.compile("^Photo")).set_input_files(str(portrait))
    phone.get_by_label("My location").uncheck()
    screenshot(phone, "profile-form")
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
    phone.get_by_role("button", name="Save my profile").click()
    phone.get_by_text("Your profile is saved.").wait_for()
    assert phone.get_by_role("img", name="Photo of Eli Novak").evaluate(LOADED_WIDTH) == 512
    assert "Portland plant" not in phone.content()

    phone.get_by_role("link", name="← People").click()
    phone.get_by_label("Skill", exact=True).select_option("fermentation")
    phone.get_by_role("button", name="Search").click()
    card = phone.get_by_role("article").filter(has_text="Eli Novak")
    card.wait_for()
    assert "Flavour chemist" in card.inner_text()
    assert card.get_by_role("img", name="Photo of Eli Novak").evaluate(LOADED_WIDTH) == 512
    assert "Mia Quill" not in phone.content()
    screenshot(phone, "directory")
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
