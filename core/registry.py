"""What each app adds to the shared pieces, declared beside the app's own code.

An app may have a `nav.py` with

- `NAV_ENTRIES`: its entries in the main navigation (`NavEntry`), and
- `ROLE_HOMES`: `{role: url_name}`, where a role lands after signing in,

and, for the permission-matrix test, `tests/matrix.py` (or `tests/matrix_*.py`) with `ROWS`.
The navigation, the home redirect and the matrix read them from every installed app, so that
adding an app touches that app alone. Core knows no app: it only collects.
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

DECLARATIONS_MODULE = "nav"


@dataclass(frozen=True)
class NavEntry:
    """One link of the main navigation, shown to the holders of any of `roles` or of `permission` (admins see all).

    It is marked as the current section on every page under its URL. `order` places it among
    the other apps' entries.
    """

    label: str
    url_name: str
    order: int
    roles: tuple[str, ...] = ()
    permission: str = ""


def nav_entries() -> list[NavEntry]:
    """Every app's navigation entries, in their order."""
    entries = [entry for _, declared in _declared("NAV_ENTRIES") for entry in declared]
    return sorted(entries, key=lambda entry: entry.order)


def role_homes() -> dict[str, str]:
    """`{role: url_name}` from every app; two apps claiming one role's home is a mistake."""
    homes: dict[str, str] = {}
    for app_name, declared in _declared("ROLE_HOMES"):
        for role, url_name in declared.items():
            if role in homes:
                raise ImproperlyConfigured(f"{app_name} declares a home for {role!r}, which another app declares.")
            homes[role] = url_name
    return homes


def _declared(attribute: str) -> list[tuple[str, object]]:
    return [(name, getattr(module, attribute)) for name, module in _modules(_installed()) if hasattr(module, attribute)]


def _installed() -> tuple[str, ...]:
    return tuple(app_config.name for app_config in apps.get_app_configs())


@cache
def _modules(app_names: tuple[str, ...]) -> list:
    """The declaration modules of these apps (cached per set of installed apps; tests may change it)."""
    found = []
    for name in app_names:
        if module_has_submodule(import_module(name), DECLARATIONS_MODULE):
            found.append((name, import_module(f"{name}.{DECLARATIONS_MODULE}")))
    return found
