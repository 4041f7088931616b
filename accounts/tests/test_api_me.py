from datetime import timedelta

import time_machine
from django.utils import timezone

from accounts.models import ApiKey
from accounts.services import api_key_revoke
from accounts.tests.factories import ApiKeyFactory

ME = "/api/v1/me"


def key_header(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}


def test_it_describes_the_signed_in_user(client, make_user):
    ana = make_user("ana.insights")
    client.force_login(ana)
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


def test_it_describes_the_calling_api_key(client, db):
    api_key, key = ApiKeyFactory(name="Listening export", scopes=["mentions:write", "mentions:read"])
    response = client.get(ME, **key_header(key))
    assert response.status_code == 200
    assert response.json() == {
        "type": "api_key",
        "id": None,
        "email": None,
        "name": "Listening export",
        "roles": [],
        "scopes": ["mentions:read", "mentions:write"],
        "key_prefix": api_key.prefix,
    }


def test_it_records_when_a_key_was_last_used(client, db):
    api_key, key = ApiKeyFactory()
    client.get(ME, **key_header(key))
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_it_rejects_a_visitor_with_401_and_the_error_shape(client, db):
    response = client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json() == {
        "error": {"code": "not_authenticated", "message": "Authentication credentials were not provided."}
    }


def test_it_rejects_a_made_up_key(client, db):
    response = client.get(ME, **key_header("abcdefgh.not-a-real-secret"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_it_rejects_a_key_with_a_wrong_secret(client, db):
    api_key, key = ApiKeyFactory()
    response = client.get(ME, **key_header(f"{api_key.prefix}.wrong-secret"))
    assert response.status_code == 401


def test_it_rejects_a_revoked_key(client, db):
    api_key, key = ApiKeyFactory()
    assert client.get(ME, **key_header(key)).status_code == 200
    api_key_revoke(api_key=api_key)
    assert client.get(ME, **key_header(key)).status_code == 401


def test_it_rejects_an_expired_key(client, db):
    api_key, key = ApiKeyFactory(expires_at=timezone.now() + timedelta(days=1))
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = client.get(ME, **key_header(key))
    assert response.status_code == 401


def test_it_stores_only_a_hash_of_the_key(db):
    api_key, key = ApiKeyFactory()
    stored = ApiKey.objects.get(pk=api_key.pk)
    secret = key.split(".", 1)[1]
    assert key.startswith(stored.prefix + ".")
    assert secret not in stored.hashed_key
    assert stored.hashed_key.startswith("sha512$$")


def test_it_only_allows_get(client, make_user):
    client.force_login(make_user("eli.employee"))
    response = client.post(ME)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_it_throttles_a_busy_key(client, db, settings, monkeypatch):
    # DRF's throttles read this very dict: lower the rate for this test only.
    monkeypatch.setitem(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user", "3/min")
    _, key = ApiKeyFactory()
    statuses = [client.get(ME, **key_header(key)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(ME, **key_header(key))
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
