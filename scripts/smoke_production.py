"""Production smoke test: a real log-in and real requests against a running Tarian.

Used by ``scripts/smoke-production.sh`` (and so by CI) after the README's deployment steps,
against gunicorn with ``TARIAN_DEBUG=0``. Standard library only: it runs before any test tool is
installed. It signs in through the log-in form, opens the home page and every stylesheet and
script it links, creates a child through the API with a token, opens that child's record page
and reads the child through the API. Any answer other than the expected one fails, naming it.

    python scripts/smoke_production.py --base http://127.0.0.1:8765 \
        --username U --password P --token T
"""

from __future__ import annotations

import argparse
import http.cookies
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

# Behind the TLS-terminating proxy the README asks for, every request arrives marked https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class Smoke:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        # Cookies are kept by hand: the session cookie is Secure, and the loopback hop behind the
        # TLS-terminating proxy is plain HTTP, where a browser-like jar would not send it back.
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect())
        self.failures: list[str] = []

    def request(
        self,
        method: str,
        path: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        sent = {**PROXY_HEADERS, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(  # noqa: S310  (http to our own loopback server)
            self.base + path, data=data, method=method, headers=sent
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                status, answer, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, answer, body = error.code, error.headers, error.read()
        for header in answer.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return status, dict(answer), body

    def expect(self, what: str, status: int, wanted: int, body: bytes = b"") -> bool:
        if status != wanted:
            snippet = body[:300].decode("utf-8", "replace").replace("\n", " ")
            self.failures.append(f"{what}: answered {status}, expected {wanted}. {snippet}")
            print(f"FAIL {what}: {status}")
            return False
        print(f"ok   {what}: {status}")
        return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def run(base: str, username: str, password: str, token: str) -> list[str]:
    smoke = Smoke(base)

    status, _, body = smoke.request("GET", "/health/ready")
    smoke.expect("GET /health/ready", status, 200, body)

    # A real log-in through the form, with its CSRF token.
    status, _, body = smoke.request("GET", "/login")
    if not smoke.expect("GET /login", status, 200, body):
        return smoke.failures
    form_token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    fields = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": form_token.group(1).decode() if form_token else "",
    }
    status, headers, body = smoke.request(
        "POST",
        "/login",
        urllib.parse.urlencode(fields).encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": base.replace("http://", "https://") + "/login",
        },
    )
    smoke.expect("POST /login (signed in and sent on)", status, 302, body)

    status, _, home = smoke.request("GET", "/")
    signed_in = b"Sign out" in home or b"Allgofnodi" in home
    if smoke.expect("GET / (home page, signed in)", status, 200, home) and not signed_in:
        smoke.failures.append("GET /: the home page does not show a signed-in user")
    # Every stylesheet and script the page links is served, with the right type.
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', home)
    if not any(a.endswith(b".css") for a in assets):
        smoke.failures.append("GET /: the home page links no stylesheet")
    for asset in sorted(set(assets)):
        path = asset.decode()
        status, headers, body = smoke.request("GET", path)
        if smoke.expect(f"GET {path}", status, 200, body):
            kind = headers.get("Content-Type", "")
            wanted = "text/css" if path.endswith(".css") else "javascript"
            if wanted not in kind or len(body) < 100:
                smoke.failures.append(f"GET {path}: {kind}, {len(body)} bytes")

    # A child created through the API with a token, then read on a page and through the API.
    api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    child = {
        "kind": "child",
        "given_name": "Smoke",
        "family_name": "Prawf",
        "date_of_birth": "2019-03-04",
        "sex": "female",
    }
    status, _, body = smoke.request("POST", "/api/v1/people", json.dumps(child).encode(), api)
    if not smoke.expect("POST /api/v1/people", status, 201, body):
        return smoke.failures
    person_id = json.loads(body)["id"]

    status, _, body = smoke.request("GET", f"/people/{person_id}")
    page = f"GET /people/{person_id} (the child's record)"
    if smoke.expect(page, status, 200, body) and b"Prawf" not in body:
        smoke.failures.append("the child's record page does not show the child's name")

    status, _, body = smoke.request("GET", f"/api/v1/people/{person_id}", headers=api)
    read = f"GET /api/v1/people/{person_id}"
    if smoke.expect(read, status, 200, body) and json.loads(body).get("family_name") != "Prawf":
        smoke.failures.append("the API's person read does not give the child's name")

    status, _, body = smoke.request("GET", "/api/v1/people/no-such-id", headers=api)
    smoke.expect("GET /api/v1/people/no-such-id (JSON 404)", status, 404, body)
    return smoke.failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    failures = run(args.base, args.username, args.password, args.token)
    if failures:
        print("\nThe production smoke test failed:", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    print("The production smoke test passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
