"""Benchmark databases made afresh or kept between runs (``bench/match.py``,
``bench/api_reads.py``), and the environment a benchmark's own Tarian server runs with."""

from __future__ import annotations

import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def postgres_exists(url: str) -> bool:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def fresh_postgres(url: str) -> None:
    """Drop the database ``url`` names (if it exists) and create it empty."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def fresh_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def server_environment(database_url: str, data_dir: Path) -> dict[str, str]:
    """Production settings (not debug) for a local benchmark server on ``database_url``."""
    return {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tarian.settings",
        "TARIAN_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),  # a local run only
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "TARIAN_SSL_REDIRECT": "0",
        "TARIAN_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
    }
