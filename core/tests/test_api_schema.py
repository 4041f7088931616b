import re


def test_the_schema_describes_me_and_the_api_key_scheme(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me" in schema["paths"]
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "`Api-Key <key>`; each key carries scopes.",
    }


def test_the_docs_page_loads_nothing_from_another_site(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", html)


def test_pages_load_nothing_from_another_site(client, login):
    login(client, "ana.insights")
    for url in ["/accounts/login/", "/staff/", "/settings/api-keys/"]:
        html = client.get(url, follow=True).content.decode()
        assert not re.findall(r"""(?:src|href)=["'](?:https?:)?//""", html), url
        assert "/static/bootstrap/css/bootstrap.min.css" in html


def test_the_schema_is_valid_openapi_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in ("/api/v1/mentions/bulk:", "/api/v1/mentions:", "/api/v1/rollups:", "/api/v1/terms:", "/api/v1/feeds:"):
        assert path in schema
