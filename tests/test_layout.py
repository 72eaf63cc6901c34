"""The project's shape (issue 19, decision 11): one bounded context, one folder.

Each app owns its pages and endpoints; ``web/`` is only the shell and ``api/`` only the
framework; every import points down (``procedures`` imports nothing above it, nothing imports
the apps that gather contributions). These tests read the source, so a move that breaks the
shape fails here rather than in review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

TARIAN = Path(__file__).resolve().parent.parent / "tarian"


def _imports(path: Path) -> set[str]:
    """Every ``tarian.…`` module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name == "tarian" or name.startswith("tarian.")}


def _sources(app: str) -> list[Path]:
    return sorted(p for p in (TARIAN / app).rglob("*.py") if "migrations" not in p.parts)


def _app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_procedures_imports_nothing_above_it() -> None:
    """The packs are data: no workflow, no access, no audit (decision 4, #19)."""
    above = {
        f"{path.relative_to(TARIAN)}: {module}"
        for path in _sources("procedures")
        for module in _imports(path)
        if _app_of(module) not in {"procedures", "core"}
    }
    assert above == set()


def test_core_imports_no_app() -> None:
    """``core`` holds what every app shares (the base model, dates, the rationale rule of
    FD4): it imports nothing but itself and the domain errors, so any app may use it."""
    above = {
        f"{path.relative_to(TARIAN)}: {module}"
        for path in _sources("core")
        for module in _imports(path)
        if module != "tarian.errors" and _app_of(module) != "core"
    }
    assert above == set()


@pytest.mark.parametrize("gatherer", ["disclosure", "seed"])
def test_no_app_imports_the_apps_that_gather_its_contributions(gatherer: str) -> None:
    """``disclosure`` gathers each app's ``disclosure.py`` and ``seed`` each app's ``demo.py``:
    the contributors must not import them back (a ``demo.py`` may name the context's type)."""
    back = set()
    for app_dir in sorted(p for p in TARIAN.iterdir() if p.is_dir() and p.name != gatherer):
        for path in _sources(app_dir.name):
            if gatherer == "seed" and path.name == "demo.py":
                continue
            for module in _imports(path):
                if _app_of(module) == gatherer:
                    back.add(f"{path.relative_to(TARIAN)}: {module}")
    assert back == set()


def test_people_does_not_import_the_apps_built_on_it() -> None:
    """Documents and referrals build on people; people imports neither (the subject access
    cycle of #19)."""
    upward = {
        f"{path.relative_to(TARIAN)}: {module}"
        for path in _sources("people")
        for module in _imports(path)
        if _app_of(module) in {"documents", "referrals", "disclosure", "chronology"}
    }
    assert upward == set()


# The shared mechanisms (issue 21): workflows use them and register with them, and each
# imports none of the workflows (nor does any migration of its own), only these apps.
SHARED_MECHANISMS = [
    # Decision 16: workflows write its clock rows and register their subjects with it; its
    # faces (the board's dashboard, QA1) use the shell, the API framework and the audit log.
    pytest.param("deadlines", {
        "agencies", "people", "procedures", "core", "audit", "web", "api",
    }, id="deadlines"),
    # The one mechanism for every meeting kind: strategy discussions, conferences and
    # professional strategy meetings convene through it.
    pytest.param("meetings", {
        "agencies", "people", "procedures", "core", "deadlines", "notifications", "audit",
        "api", "web", "actions", "challenges", "chronology",
    }, id="meetings"),
    # Decision 18: circulation and receipts are built once for every workflow, which names
    # itself by ``subject_kind``.
    pytest.param("notifications", {
        "agencies", "people", "procedures", "core", "audit", "api", "web", "deadlines",
    }, id="notifications"),
    # SM3, decision 17: workflows agree actions and register their subjects with it; it may
    # register a job with ``operations``' ``tarian tick`` and use the shell's form helpers.
    pytest.param("actions", {
        "agencies", "people", "procedures", "core", "deadlines", "notifications", "audit",
        "api", "web", "operations",
    }, id="actions"),
    # PC1, decision 19: the workflows whose decisions may be challenged register with it
    # (``challenges.about``).
    pytest.param("challenges", {
        "agencies", "people", "procedures", "core", "deadlines", "notifications", "audit",
        "api", "web", "operations",
    }, id="challenges"),
]


@pytest.mark.parametrize(("mechanism", "allowed"), SHARED_MECHANISMS)
def test_shared_mechanism_knows_no_workflow(mechanism: str, allowed: set[str]) -> None:
    """Issue 21: a shared mechanism imports only itself, the apps below it and the domain
    errors, in every file including its migrations."""
    paths = sorted((TARIAN / mechanism).rglob("*.py"))
    assert paths
    upward = {
        f"{path.relative_to(TARIAN)}: {module}"
        for path in paths
        for module in _imports(path)
        if _app_of(module) not in allowed | {mechanism} and module != "tarian.errors"
    }
    assert upward == set()


def test_operations_tick_names_no_app() -> None:
    """``tarian tick`` runs what apps register; it names none of them."""
    paths = [TARIAN / "operations" / "tick.py",
             TARIAN / "operations" / "management" / "commands" / "tick.py"]
    assert {
        module for path in paths for module in _imports(path) if _app_of(module) != "operations"
    } == set()


def _routes(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found.extend(_routes(entry, entry.namespace or namespace))
        else:
            found.append((namespace, entry))
    return found


def _view_module(pattern: URLPattern) -> str:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return (view_class or callback).__module__


SHELL_PAGES = {
    "home",
    "login",
    "logout",
    "set_language",
    "account",
    "revoke_token",
    "two_factor_setup",
    "two_factor_verify",
}


def test_every_page_and_endpoint_lives_in_the_app_that_owns_it() -> None:
    """A page or endpoint is found from its app's folder alone: the view of every route under
    ``web:`` (except the shell's own) and ``api:`` (except the schema) is defined in a Tarian
    app that is neither ``web`` nor ``api``, and that app's ``urls.py`` lists it."""
    misplaced = []
    for namespace, pattern in _routes(get_resolver()):
        module = _view_module(pattern)
        if namespace == "web" and pattern.name in SHELL_PAGES:
            continue
        if namespace == "api" and pattern.name == "schema":
            continue
        if namespace not in {"web", "api"}:
            continue
        app = _app_of(module)
        if not module.startswith("tarian.") or app in {"web", "api"}:
            misplaced.append(f"{namespace}:{pattern.name} -> {module}")
            continue
        channel = "pages" if namespace == "web" else "api"
        listed = __import__(f"tarian.{app}.urls", fromlist=[channel])
        if pattern not in getattr(listed, channel, []):
            misplaced.append(f"{namespace}:{pattern.name} is not in tarian/{app}/urls.py")
    assert misplaced == []


def test_the_shell_and_the_framework_hold_no_app_faces() -> None:
    """``web/`` keeps only the shell and ``api/`` only the framework (#19)."""
    web = {p.name for p in (TARIAN / "web").glob("*.py")}
    api = {p.name for p in (TARIAN / "api").glob("*.py")}
    assert web <= {
        "__init__.py",
        "apps.py",
        "account.py",
        "context_processors.py",
        "forms.py",
        "middleware.py",
        "refusals.py",
        "urls.py",
        "views.py",
    }
    assert api <= {
        "__init__.py",
        "answers.py",
        "apps.py",
        "authentication.py",
        "errors.py",
        "fields.py",
        "middleware.py",
        "negotiation.py",
        "pagination.py",
        "parsers.py",
        "requests.py",
        "schema.py",
        "urls.py",
    }
    shell_templates = {p.name for p in (TARIAN / "web" / "templates" / "web").iterdir()}
    assert not {name for name in shell_templates if name.startswith(("person", "referral"))}
