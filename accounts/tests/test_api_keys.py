import pytest
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


def test_staff_create_a_key_on_the_page_and_see_it_once(client, login):
    login(client, "ana.insights")
    response = client.post(
        "/settings/api-keys/", {"name": "Review site sync", "scopes": ["mentions:write"]}, follow=True
    )
    assert response.redirect_chain == [("/settings/api-keys/", 302)]
    key = response.context["new_key"]
    assert key
    assert key in response.content.decode()
    api_key = ApiKey.objects.get(name="Review site sync")
    assert api_key.created_by.email == "ana.insights@carlssoda.example"
    again = client.get("/settings/api-keys/")
    assert key not in again.content.decode()
    assert api_key.prefix in again.content.decode()


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
