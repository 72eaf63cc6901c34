"""``tarian demo`` gathers each app's demo data by convention (#19): every installed app's
``demo.py`` is called in the declared order, and the log-ins come last."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

import tarian
from tarian.agencies.demo import demo_logins
from tarian.seed.contributions import DEMO_ORDER, demo_modules

COMMAND = Path(tarian.__file__).parent / "seed" / "management" / "commands" / "demo.py"


def test_every_apps_demo_module_is_found_in_the_declared_order() -> None:
    shipped = sorted(p.parent.name for p in Path(tarian.__file__).parent.glob("*/demo.py"))
    found = [module.__name__ for module in demo_modules()]
    assert sorted(name.split(".")[1] for name in found) == shipped
    declared = [f"tarian.{label}.demo" for label in DEMO_ORDER]
    assert found[: len(declared)] == declared
    assert all(callable(module.demo) for module in demo_modules())


def test_the_demo_command_names_no_app() -> None:
    imports = [
        line for line in COMMAND.read_text().splitlines() if line.startswith(("from ", "import "))
    ]
    tarian_imports = [line for line in imports if "tarian" in line]
    assert tarian_imports and all(line.startswith("from tarian.seed") for line in tarian_imports)


@pytest.mark.django_db
def test_the_demo_prints_each_apps_lines_then_a_log_in_per_role(settings: Any) -> None:
    settings.DEBUG = True
    out = StringIO()
    call_command("demo", "--children", "30", "--no-serve", stdout=out)
    lines = out.getvalue().splitlines()
    start = lines.index("Demo log-ins (every password is Tarian-demo-2026):")
    assert lines[0] == "Creating synthetic data for 30 children..."
    assert lines[start - 1] == "" and lines[-1] == ""
    logins = demo_logins("school", "gp")
    for login, line in zip(logins, lines[start + 1 : start + 1 + len(logins)], strict=True):
        assert line.split()[0] == login.username
    assert "waiting for review" in "\n".join(lines[:start])
