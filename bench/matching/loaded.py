"""For the tools that work on a database ``bench/match.py`` has already loaded
(``bench/match_profile.py``, ``match_rescore.py``, ``match_http.py``): the arguments they share
and the environment that points Django at that database."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any


def parser(doc: str | None) -> argparse.ArgumentParser:
    made = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    made.add_argument("config", type=Path, help="a config-*.json that bench/match.py wrote")
    return made


def use_loaded_database(config_path: Path) -> dict[str, Any]:
    """Read the run's config, set the environment as ``bench/match.py`` sets it for its server
    (SQLite: the run's file; PostgreSQL: ``DATABASE_URL``, which must be set), set Django up,
    and return the config (it holds the queries)."""
    config: dict[str, Any] = json.loads(config_path.read_text())
    work = config_path.resolve().parent
    if config["database"] == "sqlite":
        path = work / f"match-{config['children']}-{config['random_seed']}.sqlite3"
        url = f"sqlite:///{path}"
    else:
        url = os.environ.get("DATABASE_URL", "")
        if not url:
            raise SystemExit("Set DATABASE_URL to the PostgreSQL database the benchmark loaded")
    from bench.databases import server_environment

    os.environ.update(server_environment(url, work / f"data-{config['database']}"))
    import django

    django.setup()
    return config
