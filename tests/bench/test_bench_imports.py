"""Every benchmark script and its helpers import against the current code (issue 17, item 7):
the benchmarks are not run by the suite, so a renamed function they use would otherwise be
found only when someone next measures."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
MODULES = sorted(
    ".".join(path.relative_to(BENCH.parent).with_suffix("").parts)
    for path in BENCH.rglob("*.py")
)
# Optional libraries the matching comparison needs and the suite does not install.
OPTIONAL = {"splink", "duckdb", "pandas", "numpy"}


@pytest.mark.parametrize("module", MODULES)
def test_bench_module_imports(module: str) -> None:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name is None or error.name.split(".")[0] not in OPTIONAL:
            raise
        pytest.skip(f"{module} needs {error.name}, which the suite does not install")
