"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser).

Where /usr/bin/chromium is missing the tests are skipped with one line saying how to enable
them, unless TARIAN_REQUIRE_BROWSER is set (as .ci/run does), when its absence is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
SKIP_LINE = "browser tests skipped: /usr/bin/chromium is missing (sudo apt-get install -y chromium)"

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("TARIAN_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"{CHROMIUM} is required here (TARIAN_REQUIRE_BROWSER is set)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=SKIP_LINE))


def pytest_report_header(config: pytest.Config) -> str | None:
    return None if CHROMIUM.exists() else SKIP_LINE


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def check_accessibility(page: Any) -> None:
    """Run axe-core on the page; any serious or critical WCAG 2.2 AA violation fails."""
    # Evaluated through the DevTools protocol, which the page's CSP does not govern, so the
    # policy under test stays exactly as served.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: " + "; ".join(bad)
