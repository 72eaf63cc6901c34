"""Fixtures for the procedures tests: the two shipped packs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tarian.procedures.packs import Pack, clear_cache, load_pack


@pytest.fixture(autouse=True)
def _fresh_packs() -> Iterator[None]:
    """Each test reads the packs as shipped, whatever an earlier test cached."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def wales() -> Pack:
    return load_pack("wales")


@pytest.fixture
def england() -> Pack:
    return load_pack("england")
