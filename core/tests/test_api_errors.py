"""Anything under /api/ answers errors in the API's JSON shape, whether DEBUG is on or off."""

import pytest
from django.test import Client

DEBUG_MODES = pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])


@pytest.fixture
def browser_client(db):
    """A client that gets the answer a browser would, not the test's exception."""
    return Client(raise_request_exception=False, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*")


@DEBUG_MODES
@pytest.mark.parametrize("path", ["/api/v1/nonexistent", "/api/v1/me/extra", "/api/nothing", "/api/"])
def test_an_unknown_api_path_answers_json_404(browser_client, settings, assert_api_error, debug, path):
    settings.DEBUG = debug
    response = browser_client.get(path)
    assert_api_error(response, 404, "not_found")
    assert "urlpatterns" not in response.content.decode()  # not Django's debug page listing every URL


@DEBUG_MODES
@pytest.mark.urls("core.tests.urls_failing")
def test_a_wrong_method_answers_json_405(browser_client, settings, assert_api_error, debug):
    settings.DEBUG = debug
    response = browser_client.get("/api/v1/post-only-plain")
    assert_api_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


@DEBUG_MODES
@pytest.mark.parametrize("path", ["/api/v1/failing", "/api/v1/failing-plain"])
@pytest.mark.urls("core.tests.urls_failing")
def test_a_server_error_answers_json_500_without_a_traceback(browser_client, settings, assert_api_error, debug, path):
    settings.DEBUG = debug
    response = browser_client.get(path)
    assert_api_error(response, 500, "server_error")
    assert "Traceback" not in response.content.decode()
    assert "a bug in" not in response.content.decode()


@pytest.mark.urls("core.tests.urls_failing")
def test_a_server_error_is_still_logged(browser_client, caplog):
    browser_client.get("/api/v1/failing")
    errors = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert len(errors) == 1
    assert errors[0].exc_info[0] is RuntimeError


def test_pages_outside_the_api_keep_their_html_404(browser_client):
    response = browser_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_api_views_keep_their_own_error_details(client, db, assert_api_error):
    response = client.get("/api/v1/me")
    assert_api_error(response, 401, "not_authenticated")
    assert response.json()["error"]["message"] == "Authentication credentials were not provided."
