#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry (maintainers only; `make demo`
# and `make test` never need npm). Versions are pinned here and recorded in VERSIONS.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund \
  govuk-frontend@6.6.0 @ministryofjustice/frontend@11.1.0 htmx.org@2.0.11 axe-core@4.14.1 >/dev/null)
n="$work/node_modules"
v=tarian/web/static/vendor
rm -rf "$v" && mkdir -p "$v/govuk-frontend" "$v/moj-frontend" "$v/htmx" tests/browser/vendor
cp "$n"/govuk-frontend/dist/govuk/govuk-frontend.min.{css,js} "$v/govuk-frontend/"
cp -r "$n/govuk-frontend/dist/govuk/assets" "$v/govuk-frontend/"
rm -rf "$v/govuk-frontend/assets/fonts"
cp "$n/govuk-frontend/LICENSE.txt" "$v/govuk-frontend/" 2>/dev/null || true
cp "$n"/@ministryofjustice/frontend/moj/moj-frontend.min.{css,js} "$v/moj-frontend/"
cp -r "$n/@ministryofjustice/frontend/moj/assets" "$v/moj-frontend/"
cp "$n/htmx.org/dist/htmx.min.js" "$v/htmx/"
cp "$n/axe-core/axe.min.js" tests/browser/vendor/
python3 - "$v" <<'PY'
import re, sys
v = sys.argv[1]
for name in ("govuk-frontend/govuk-frontend.min.css", "moj-frontend/moj-frontend.min.css"):
    path = f"{v}/{name}"
    css = open(path).read()
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = css.replace("GDS Transport,", "").replace("font-family:GDS Transport", "font-family:arial,sans-serif")
    css = css.replace("url(/assets/", "url(assets/")
    open(path, "w").write(css)

# Source maps are not vendored: strip the comments that point at them, or collectstatic's
# manifest storage refuses the file and production serves no page.
import pathlib
for path in pathlib.Path(v).rglob("*"):
    if path.suffix not in (".css", ".js"):
        continue
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n?/\*# sourceMappingURL=[^*]*\*/\s*$", "", text)
    text = re.sub(r"//# sourceMappingURL=\S+\s*$", "", text)
    path.write_text(text, encoding="utf-8")

# Check: every url() in the vendored CSS names a file that is vendored too.
missing = []
for path in pathlib.Path(v).rglob("*.css"):
    text = path.read_text(encoding="utf-8")
    if "sourceMappingURL" in text:
        missing.append(f"{path}: a sourceMappingURL comment is left")
    for ref in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", text):
        if ref.startswith(("data:", "#", "http:", "https:", "//")):
            continue
        if not (path.parent / ref.split("?")[0].split("#")[0]).exists():
            missing.append(f"{path}: url({ref}) is not vendored")
for path in pathlib.Path(v).rglob("*.js"):
    if "sourceMappingURL=" in path.read_text(encoding="utf-8"):
        missing.append(f"{path}: a sourceMappingURL comment is left")
if missing:
    sys.exit("vendor.sh: the vendored files reference what is not vendored:\n" + "\n".join(missing))
PY
(cd "$work" && node -e 'for (const p of ["govuk-frontend","@ministryofjustice/frontend","htmx.org","axe-core"]) console.log(p, require(p+"/package.json").version)') > "$v/VERSIONS.txt"
cat >> "$v/VERSIONS.txt" <<'TXT'

Vendored as built files from the npm registry by scripts/vendor.sh.
Local changes: the GDS Transport typeface is removed and Arial used instead (the typeface is
licensed only for GOV.UK services), and absolute `/assets/` URLs in the CSS are made relative
so the files can be served from Django's static path, and source-map comments are stripped
(the maps are not vendored; a reference to a missing file fails collectstatic).
TXT
