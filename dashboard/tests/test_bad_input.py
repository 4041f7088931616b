"""Hostile input never breaks Rapport: every API operation and every form, generated, never a 5xx.

The shapes that once made server errors (DESIGN.md "Generated input never breaks the API"): NUL in
the address, a query parameter or a form field; a lone surrogate in JSON; JSON nested a thousand
deep; bodies over the size limit; texts far over any field's length; dates in year 1 or 9999.

The API operations come from the OpenAPI schema and the pages from the permission matrix's URL
list and a crawl of the demo world as a person who holds every role, so a new endpoint or form is
covered without editing this file. Every answer must be below 500; where the input is refused
before any view runs (NUL, nesting, size), it must be a 4xx.
"""

import json
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.scopes import SCOPES
from dashboard.services import demo_seed
from dashboard.tests.test_permission_matrix import ROWS

pytestmark = pytest.mark.django_db

NUL = "\x00"
SURROGATE = "x\ud800y"
LONG = "fizz " * 10_000  # 50,000 characters: over every text field's limit, under Django's body limit
BAD_DATES = ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]
NESTED = "[" * 1000


def _failures(answers) -> list:
    return [(what, status) for what, status in answers if status >= 500]


# --- The API, from its schema ---------------------------------------------------------------------


SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = [
    (method.upper(), path, operation)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if method in ("get", "post", "patch", "put", "delete")
]


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _example(schema: dict, text: str = "Cherry Fizz"):
    """A value of `schema`, plausibly valid; every string (except enums) is `text`, every date a good one."""
    schema = _resolve(schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        return {name: _example(part, text) for name, part in schema.get("properties", {}).items()}
    if kind == "array":
        return [_example(schema.get("items", {}), text)]
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    return {"date": "2026-11-02", "date-time": "2026-11-02T14:03:00+01:00", "email": "fan@example.net"}.get(
        schema.get("format"), "https://shop.example/cherry" if schema.get("format") == "uri" else text
    )


def _with_dates(value, date: str):
    """`value` with every date-looking string replaced by `date`."""
    if isinstance(value, dict):
        return {key: _with_dates(part, date) for key, part in value.items()}
    if isinstance(value, list):
        return [_with_dates(part, date) for part in value]
    return date if isinstance(value, str) and value[:4] == "2026" else value


def _json_body(operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def _url(path: str) -> str:
    return path.replace("{id}", "1")


@pytest.fixture
def api(api_client, channels):
    return api_client(*SCOPES)


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_no_api_operation_answers_a_server_error_to_hostile_input(api, login, method, path, operation):
    if operation.get("x-session-only"):  # API keys get 403 before any input is read: an employee signs in
        api = APIClient()
        login(api, "eli.employee")
    url, call = _url(path), getattr(api, method.lower())
    answers = []

    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"] + ["status"]
    for name in names:
        answers.append((f"?{name}=NUL", call(f"{url}?{urlencode({name: NUL})}").status_code))
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query" and parameter.get("schema", {}).get("format") in ("date", "date-time"):
            for date in BAD_DATES:
                query = urlencode({parameter["name"]: date})
                answers.append((f"?{parameter['name']}={date}", call(f"{url}?{query}").status_code))
    answers.append(("NUL in the path", call(url + "%00").status_code))
    refused_early = [status for what, status in answers if "NUL" in what]
    assert all(400 <= status < 500 for status in refused_early), answers

    schema = _json_body(operation)
    if schema is not None:
        sent = {
            "a lone surrogate": _example(schema, SURROGATE),
            "NUL in every text": _example(schema, f"Cherry{NUL}Fizz"),
            "50,000 characters in every text": _example(schema, LONG),
            **{f"dates of {date}": _with_dates(_example(schema), date) for date in BAD_DATES},
        }
        for what, body in sent.items():
            answers.append((what, call(url, json.dumps(body), content_type="application/json").status_code))
        nested = call(url, NESTED, content_type="application/json").status_code
        too_big = call(url, json.dumps({"text": "fizz" * 17_000_000}), content_type="application/json").status_code
        assert 400 <= nested < 500, f"nested: {nested}"
        # A path naming no object (filled in with a placeholder) may answer 404 before the body is read.
        assert too_big in (400, 404, 413) if "{" in path else too_big in (400, 413), f"over the limit: {too_big}"
    assert _failures(answers) == []


# --- Pages and their forms ---------------------------------------------------------------------------


class _Forms(HTMLParser):
    """Links and POST forms of a page: each form's action and its fields (name, type, a choice)."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form = set(), [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.add(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and attrs.get("name"):
            kind = attrs.get("type", tag).lower()
            self._form["fields"].setdefault(attrs["name"], [kind, attrs.get("value") or ""])
        elif self._form is not None and tag == "option" and self._form["fields"]:
            field = list(self._form["fields"].values())[-1]
            if field[0] == "select" and not field[1]:
                field[1] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


KEEP = ("hidden", "checkbox", "radio", "select", "submit", "button")
DATE_TYPES = ("date", "datetime-local", "time")


def _filled(fields: dict, text: str, date: str | None = None) -> dict:
    data = {}
    for name, (kind, value) in fields.items():
        if kind == "file":
            continue
        if kind in DATE_TYPES:
            data[name] = date or "2026-11-02T14:03"
        elif kind in KEEP or name in ("csrfmiddlewaretoken", "token"):
            data[name] = value
        else:
            data[name] = text
    return data


SKIP = ("/accounts/logout", "/admin/", "/api/", "/static/", "/media/", "/r/")


def _crawl(client, start_urls, limit=250) -> dict[str, _Forms]:
    """Same-site pages reachable from `start_urls`, breadth first, with what each holds."""
    seen: dict[str, _Forms] = {}
    queue = list(start_urls)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP) or url.endswith((".csv", ".ics", ".pdf")):
            continue
        response = client.get(url, follow=True)
        page = _Forms()
        if "html" in response.get("Content-Type", ""):
            page.feed(response.content.decode("utf-8", errors="replace"))
        seen[url] = page
        assert response.status_code < 500, f"{url}: {response.status_code}"
        for link in page.links:
            parts = urlsplit(urljoin(url, link))
            if not parts.netloc or parts.netloc == "testserver":
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


@pytest.fixture
def everyone_in_one(make_user, client, settings):
    settings.DEBUG = True  # demo_seed refuses production settings; nothing else here depends on it
    demo_seed(mentions=300)
    settings.DEBUG = False
    person = make_user(email="all.roles@carlssoda.example", roles=Role.values)
    person.is_superuser = person.is_staff = True
    person.save(update_fields=["is_superuser", "is_staff"])
    client.force_login(person)
    return client


def test_no_page_or_form_answers_a_server_error_to_hostile_input(everyone_in_one):
    client = everyone_in_one
    answers = []
    for name, (kwargs, _) in ROWS:
        url = reverse(name, kwargs=kwargs)
        answers.append((f"{url}?q=NUL", client.get(url, {"q": NUL, "status": NUL}).status_code))
        answers.append((f"{url}%00", client.get(url + "%00").status_code))
    assert all(400 <= status < 500 for _, status in answers), [a for a in answers if not 400 <= a[1] < 500]

    pages = _crawl(client, ["/staff/", "/insights/", "/program/", "/ambassador/", "/intranet/", "/councils/"])
    forms = {
        (urljoin(url, form["action"]) or url, tuple(sorted((name, tuple(f)) for name, f in form["fields"].items())))
        for url, page in pages.items()
        for form in page.forms
        if "logout" not in form["action"]
    }
    assert len(forms) > 20, f"the crawl found only {len(forms)} forms"
    print(f"{len(pages)} pages, {len(forms)} forms")
    for action, fields in sorted(forms):
        fields = dict(fields)
        sent = {"NUL": _filled(fields, f"Cherry{NUL}Fizz"), "50,000 characters": _filled(fields, LONG)}
        if any(kind in DATE_TYPES for kind, _ in fields.values()):
            sent |= {f"date {date}": _filled(fields, "Cherry Fizz", date) for date in BAD_DATES}
        for what, data in sent.items():
            status = client.post(action, data).status_code
            answers.append((f"POST {action} ({what})", status))
            if what == "NUL" and any(NUL in value for value in data.values()):
                assert 400 <= status < 500, f"POST {action} with NUL: {status}"
    assert _failures(answers) == []
