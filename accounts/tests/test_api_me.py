from datetime import timedelta

import time_machine
from django.utils import timezone

from accounts.models import ApiKey
from accounts.services import api_key_revoke
from accounts.tests.factories import ApiKeyFactory

ME = "/api/v1/me"


def test_it_describes_the_signed_in_user(client, login):
    ana = login(client, "ana.insights")
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "type": "user",
        "id": ana.pk,
        "email": "ana.insights@carlssoda.example",
        "name": "Ana Pereira",
        "roles": ["insights_staff"],
        "scopes": [],
        "key_prefix": None,
    }


def test_it_describes_the_calling_api_key(api_client):
    client = api_client("mentions:write", "mentions:read")
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "type": "api_key",
        "id": None,
        "email": None,
        "name": client.api_key.name,
        "roles": [],
        "scopes": ["mentions:read", "mentions:write"],
        "key_prefix": client.api_key.prefix,
    }


def test_it_records_when_a_key_was_last_used(api_client):
    client = api_client("mentions:read")
    client.get(ME)
    client.api_key.refresh_from_db()
    assert client.api_key.last_used_at is not None


def test_it_rejects_a_visitor_with_401_and_the_error_shape(client, db, assert_api_error):
    response = client.get(ME)
    error = assert_api_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Api-Key"
    assert error == {"code": "not_authenticated", "message": "Authentication credentials were not provided."}


def test_it_rejects_a_made_up_key(client, db, assert_api_error):
    response = client.get(ME, HTTP_AUTHORIZATION="Api-Key abcdefgh.not-a-real-secret")
    assert_api_error(response, 401, "authentication_failed")


def test_it_rejects_a_key_with_a_wrong_secret(client, db, assert_api_error):
    api_key, key = ApiKeyFactory()
    response = client.get(ME, HTTP_AUTHORIZATION=f"Api-Key {api_key.prefix}.wrong-secret")
    assert_api_error(response, 401, "authentication_failed")


def test_it_rejects_a_revoked_key(api_client, assert_api_error):
    client = api_client("mentions:read")
    assert client.get(ME).status_code == 200
    api_key_revoke(api_key=client.api_key)
    assert_api_error(client.get(ME), 401, "authentication_failed")


def test_it_rejects_an_expired_key(client, db, assert_api_error):
    api_key, key = ApiKeyFactory(expires_at=timezone.now() + timedelta(days=1))
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = client.get(ME, HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert_api_error(response, 401, "authentication_failed")


def test_it_stores_only_a_hash_of_the_key(db):
    api_key, key = ApiKeyFactory()
    stored = ApiKey.objects.get(pk=api_key.pk)
    secret = key.split(".", 1)[1]
    assert key.startswith(stored.prefix + ".")
    assert secret not in stored.hashed_key
    assert stored.hashed_key.startswith("sha512$$")


def test_it_only_allows_get(client, login, assert_api_error):
    login(client, "eli.employee")
    assert_api_error(client.post(ME), 405, "method_not_allowed")


def test_it_throttles_a_busy_key(api_client, settings, monkeypatch, assert_api_error):
    # DRF's throttles read this very dict: lower the rate for this test only.
    monkeypatch.setitem(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user", "3/min")
    client = api_client("mentions:read")
    statuses = [client.get(ME).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(ME)
    assert_api_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
