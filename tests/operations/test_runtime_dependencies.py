"""Runtime code imports only runtime dependencies (issue 17: `make demo` on a fresh clone).

`make demo` and a deployment install Tarian without its test extras. A runtime module that
imports a typing-only or test-only package (``django_stubs_ext`` did) works in the suite and
fails for every new user. This test imports every module of the package in a fresh interpreter
with production settings, where any package that Tarian's runtime dependencies do not bring
in is refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata

from packaging.requirements import Requirement

RUNTIME_DISTRIBUTION = "tarian"


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def runtime_distributions() -> set[str]:
    """Tarian and everything its runtime requirements pull in, recursively (no extras)."""
    seen: set[str] = set()
    pending = [RUNTIME_DISTRIBUTION]
    while pending:
        name = _canonical(pending.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            pending.append(requirement.name)
    return seen


def modules_outside_runtime() -> list[str]:
    """Top-level modules installed here that no runtime dependency provides."""
    runtime = runtime_distributions()
    blocked = []
    for module, distributions in metadata.packages_distributions().items():
        if module.startswith("_") or module in sys.stdlib_module_names:
            continue
        if not any(_canonical(d) in runtime for d in distributions):
            blocked.append(module)
    return sorted(blocked)


PROBE = r"""
import importlib, importlib.abc, json, pkgutil, sys

BLOCKED = set(json.loads(sys.argv[1]))

class RefuseTestOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (not a runtime dependency)")
        return None

sys.meta_path.insert(0, RefuseTestOnly())

import django
django.setup()
import tarian

failures = []
for info in pkgutil.walk_packages(tarian.__path__, "tarian."):
    if ".migrations." in info.name:
        continue
    try:
        importlib.import_module(info.name)
    except ModuleNotFoundError as error:
        failures.append(f"{info.name}: {error}")
print(json.dumps(failures))
"""


def test_every_runtime_module_imports_without_the_test_extras(tmp_path: object) -> None:
    blocked = modules_outside_runtime()
    assert "pytest" in blocked and "django_stubs_ext" in blocked  # the probe can fail
    assert "django" not in blocked and "rest_framework" not in blocked
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tarian.settings",
        "TARIAN_DEBUG": "0",
        "SECRET_KEY": "a-production-like-secret-key-of-enough-length-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TARIAN_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603  (our own interpreter, fixed code)
        [sys.executable, "-c", PROBE, json.dumps(blocked)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    failures = json.loads(result.stdout.strip().splitlines()[-1])
    assert failures == []
