from django.test import RequestFactory
from django.views.defaults import server_error


def test_an_unknown_page_gets_the_styled_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "bootstrap.min.css" in body


def test_a_server_error_shows_no_stack_trace(settings):
    assert settings.DEBUG is False
    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "Traceback" not in body


def test_a_forbidden_page_is_styled(client, login):
    login(client, "amy.ambassador")
    response = client.get("/staff/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_api_errors_share_one_shape(client, login, assert_api_error):
    login(client, "amy.ambassador")
    assert_api_error(client.get("/api/v1/nothing-here"), 404, "not_found")  # no API view: still the API's shape
    assert client.get("/api/v1/me").json()["type"] == "user"
