"""Benchmark: how long `tarian seed --children N` takes on a fresh database (issue 2 target:
100,000 children in under 3 minutes on SQLite). Prints the figures; not a test.

    .venv/bin/python bench/seed.py --children 100000
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tarian_bench .venv/bin/python bench/seed.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--random-seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "TARIAN_DEBUG": "1", "TARIAN_DATA_DIR": data_dir}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)  # noqa: S603
        started = time.perf_counter()
        result = subprocess.run(  # noqa: S603 - fixed argument list
            [*manage, "seed", "--children", str(args.children),
             "--random-seed", str(args.random_seed), "--quiet"],
            env=env, check=True, capture_output=True, text=True,
        )
        elapsed = time.perf_counter() - started
        engine = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
        print(result.stdout.strip())
        print(f"seed --children {args.children} on {engine}: {elapsed:.1f} s wall time")


if __name__ == "__main__":
    main()
