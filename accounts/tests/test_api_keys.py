import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command

from accounts.models import ApiKey
from accounts.tests.factories import ApiKeyFactory


def test_create_api_key_prints_the_key_once(db, capsys, client):
    call_command("create_api_key", "--name", "Social export", "--scopes", "mentions:write,mentions:read")
    out, err = capsys.readouterr()
    key = out.strip()
    api_key = ApiKey.objects.get()
    assert api_key.name == "Social export"
    assert api_key.scopes == ["mentions:read", "mentions:write"]
    assert key.startswith(api_key.prefix + ".")
    assert key not in err  # stderr explains, stdout alone carries the key (for scripts)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200


def test_create_api_key_refuses_an_unknown_scope(db):
    with pytest.raises(CommandError, match="Unknown scope"):
        call_command("create_api_key", "--name", "X", "--scopes", "mentions:read,everything:all")
    assert ApiKey.objects.count() == 0


def create_on_the_page(client, **data):
    """The create form as the page serves it: with its one-time creation token."""
    form = client.get("/settings/api-keys/").context["form"]
    data = {"name": "Review site sync", "scopes": ["mentions:write"], "creation_token": form["creation_token"].value()}
    return data, client.post("/settings/api-keys/", data)


def test_staff_create_a_key_on_the_page_and_see_it_once(client, login):
    login(client, "ana.insights")
    _, response = create_on_the_page(client)

    assert response.status_code == 200  # shown in the POST's answer, no redirect: nothing carries it
    key = response.context["new_key"]
    assert key
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    api_key = ApiKey.objects.get(name="Review site sync")
    assert api_key.created_by.email == "ana.insights@carlssoda.example"
    again = client.get("/settings/api-keys/")
    assert key not in again.content.decode()
    assert api_key.prefix in again.content.decode()


def test_a_new_key_is_never_stored_in_the_session(client, login):
    login(client, "ana.insights")
    _, response = create_on_the_page(client)
    key = response.context["new_key"]

    stored = [row.session_data for row in Session.objects.all()]
    stored += [str(row.get_decoded()) for row in Session.objects.all()]
    stored.append(str(dict(client.session.items())))  # what the session engine reads (the cache first)
    stored.append(str(client.cookies))
    assert len(stored) >= 3
    assert not [text for text in stored if key in text]


def test_reloading_the_page_that_shows_a_key_creates_nothing_twice_and_shows_nothing(client, login):
    login(client, "ana.insights")
    data, response = create_on_the_page(client)
    key = response.context["new_key"]
    assert "Reloading this page would send the form again" in response.content.decode()

    again = client.post("/settings/api-keys/", data)  # a reload sends the same form again

    assert ApiKey.objects.count() == 1
    assert key not in again.content.decode()
    assert again.context["new_key"] is None
    assert "This form created the key “Review site sync”" in again.context["form"].non_field_errors()[0]


def test_a_create_form_without_its_token_creates_nothing(client, login):
    login(client, "ana.insights")
    response = client.post("/settings/api-keys/", {"name": "Review site sync", "scopes": ["mentions:write"]})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ApiKey.objects.count() == 0


def test_the_page_explains_a_key_without_scopes(client, login):
    login(client, "ana.insights")
    response = client.post("/settings/api-keys/", {"name": "No scopes"})
    assert response.status_code == 200
    assert "This field is required." in response.context["form"].errors["scopes"]
    assert ApiKey.objects.count() == 0


def test_staff_revoke_a_key(client, login, api_client):
    integration = api_client("mentions:read")
    api_key = integration.api_key
    login(client, "ana.insights")
    response = client.post(f"/settings/api-keys/{api_key.prefix}/revoke/")
    assert response.status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked
    assert integration.get("/api/v1/me").status_code == 401


def test_an_employee_cannot_revoke_a_key(client, login):
    api_key, _ = ApiKeyFactory()
    login(client, "eli.employee")
    assert client.post(f"/settings/api-keys/{api_key.prefix}/revoke/").status_code == 403
    api_key.refresh_from_db()
    assert not api_key.revoked


def test_revoking_an_unknown_key_is_404(client, login):
    login(client, "ana.insights")
    assert client.post("/settings/api-keys/NoSuchKy/revoke/").status_code == 404
