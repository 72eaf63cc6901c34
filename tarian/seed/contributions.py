"""Each app's demo data, found by convention (``tarian demo``).

An app that has something to show in the demonstration holds a ``demo.py`` with a function
``demo(context)``: it makes its synthetic data on the seeded Gaerwen area and may print a line
now (``context.say``) or leave lines for the end (``context.closing``: the log-ins). The demo
command calls every installed app's, in ``DEMO_ORDER``, so it names no app and a new bounded
context adds its demo data without editing a shared file.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import apps

from tarian.seed.agencies import AreaAgencies

# Apps whose demo data others build on come first: the agencies' demo users make the referrals
# and the duplicate record. People's duplicate comes after the referrals, so that they are
# drawn from the seeded register alone. Apps not named here follow in INSTALLED_APPS order.
DEMO_ORDER = ("agencies", "referrals", "people")


@dataclass
class DemoContext:
    """What each app's ``demo(context)`` is given."""

    random_seed: int
    base_url: str  # where the demo is served, for links printed to the person running it
    area: AreaAgencies  # the Gaerwen agencies where the demo's users work
    say: Callable[[str], None]  # print a line now
    closing: list[str] = field(default_factory=list)  # lines printed once every app is done


def demo_modules() -> list[ModuleType]:
    """Every installed Tarian app's ``demo`` module, in ``DEMO_ORDER``."""
    found: list[tuple[int, int, ModuleType]] = []
    for position, config in enumerate(apps.get_app_configs()):
        if not config.name.startswith("tarian."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        declared = DEMO_ORDER.index(config.label) if config.label in DEMO_ORDER else len(DEMO_ORDER)
        found.append((declared, position, module))
    return [module for _declared, _position, module in sorted(found, key=lambda f: f[:2])]


def make_demo_data(context: DemoContext) -> None:
    """Each app's demo data, made in turn."""
    for module in demo_modules():
        module.demo(context)
