#!/usr/bin/env bash
# Audit installed dependencies for known vulnerabilities (pip-audit against PyPI's advisory data).
# Fails on any known vulnerability. Where the advisory service cannot be reached (an offline build
# machine), says so plainly and does not pretend the audit passed.
set -euo pipefail
cd "$(dirname "$0")/.."
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
.venv/bin/pip-audit --progress-spinner off --skip-editable -f json -o "$report" >/dev/null 2>&1 || status=$?
.venv/bin/python - "$report" "$status" <<'PY'
import json, sys
path, status = sys.argv[1], int(sys.argv[2])
try:
    data = json.load(open(path))
except (OSError, ValueError):
    print("pip-audit: could not run (no report); dependencies NOT audited")
    sys.exit(0 if status == 0 else 1)
deps = data.get("dependencies", [])
audited = [d for d in deps if "skip_reason" not in d]
vulnerable = [d for d in audited if d.get("vulns")]
for dep in vulnerable:
    ids = ", ".join(v["id"] for v in dep["vulns"])
    print(f"pip-audit: {dep['name']} {dep['version']} has known vulnerabilities: {ids}")
if vulnerable:
    sys.exit(1)
if not audited:
    print(f"pip-audit: the advisory service could not be reached; {len(deps)} dependencies NOT audited")
else:
    print(f"pip-audit: {len(audited)} dependencies audited, no known vulnerabilities "
          f"({len(deps) - len(audited)} could not be looked up)")
PY
