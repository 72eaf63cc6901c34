#!/usr/bin/env bash
# Production smoke test: the README's deployment steps, as written, on this machine, then
# gunicorn on a loopback port, a real log-in, the home page with its styles, a child's record
# and API calls (scripts/smoke_production.py). CI runs it on SQLite and on PostgreSQL.
#
#   scripts/smoke-production.sh sqlite
#   scripts/smoke-production.sh postgres      # needs PostgreSQL on 127.0.0.1:5432 (user postgres)
#
# Only what a deployment has: a new virtual environment with Tarian's runtime dependencies (no
# test tools), TARIAN_DEBUG unset, a real secret, collected static files, `check --deploy`.
set -euo pipefail
cd "$(dirname "$0")/.."
database=${1:?usage: scripts/smoke-production.sh sqlite|postgres}
python=${PYTHON:-$(for p in python3.13 python3.12 python3.11 python3; do
  if command -v $p >/dev/null 2>&1 && $p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
    command -v $p; break; fi; done)}
work=$(mktemp -d)
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pghost=127.0.0.1

# PostgreSQL: the README creates the two roles and the database itself (as the server's
# administrator, postgres); here they get names of their own and fresh passwords.
db=tarian_smoke owner_role=tarian_smoke_owner app_role=tarian_smoke_app
owner_password=$("$python" -c 'import secrets; print(secrets.token_hex(16))')
app_password=$("$python" -c 'import secrets; print(secrets.token_hex(16))')
drop_postgres() {
  dropdb -h "$pghost" -U postgres --if-exists --force "$db"
  psql -h "$pghost" -U postgres -q -c "DROP ROLE IF EXISTS $app_role" \
    -c "DROP ROLE IF EXISTS $owner_role"
}
case "$database" in
  sqlite) ;;
  postgres) drop_postgres ;;
  *) echo "usage: scripts/smoke-production.sh sqlite|postgres" >&2; exit 2 ;;
esac

# The README's deployment block (between its deploy markers), with this machine's values for
# the install folder, the database, its roles, the host name, the data folder and the port.
block=$(awk '/<!-- deploy:start/{f=1; next} /<!-- deploy:end/{f=0} f' README.md \
  | sed -n '/^```sh$/,/^```$/p' | sed '1d;$d')
[ -n "$block" ] || { echo "README.md has no deploy block between its deploy markers" >&2; exit 1; }
if [ "$database" = sqlite ]; then
  # SQLite: no database server, no roles (each psql command, with its continuation lines,
  # goes), and DATABASE_URL names the database file.
  block=$(printf '%s\n' "$block" | sed \
    -e '/^psql /{:more' -e '/\\$/{N;b more' -e '};d}' \
    -e '/TARIAN_MIGRATE_DATABASE_URL=/d' \
    -e "s#^export DATABASE_URL=.*#export DATABASE_URL=sqlite:///$work/data/tarian.sqlite3#")
  grep -q 'postgresql://\|^psql' <<<"$block" && { echo "PostgreSQL left in: $block" >&2; exit 1; }
else
  block=$(printf '%s\n' "$block" | sed \
    -e "s#db.internal#$pghost#g" \
    -e "s#tarian_owner#$owner_role#g" \
    -e "s#tarian_app#$app_role#g" \
    -e "s#OWNER-PASSWORD#$owner_password#g" \
    -e "s#APP-PASSWORD#$app_password#g" \
    -e "s#DATABASE tarian OWNER#DATABASE $db OWNER#" \
    -e "s#-d tarian #-d $db #g" \
    -e "s#:5432/tarian\$#:5432/$db#")
fi
block=$(printf '%s\n' "$block" | sed \
  -e "s#python3.11 -m venv#$python -m venv#" \
  -e "s#/opt/tarian#$work/venv#g" \
  -e "s#tarian.example.org#127.0.0.1#g" \
  -e "s#/var/lib/tarian#$work/data#g" \
  -e "s#127.0.0.1:8000#127.0.0.1:$port#g")
setup=$(printf '%s\n' "$block" | grep -v 'bin/gunicorn')
serve=$(printf '%s\n' "$block" | grep 'bin/gunicorn')

password="Smoke-test-$(date +%s)-pass"
cat > "$work/run.sh" <<SCRIPT
set -euo pipefail
unset TARIAN_DEBUG DJANGO_SETTINGS_MODULE
echo "-- the README's deployment steps (output in $work/setup.log)"
trap 'exec 1>&3 2>&4; echo "The deployment steps failed:"; tail -n 60 "$work/setup.log"' ERR
exec 3>&1 4>&2 >"$work/setup.log" 2>&1
set -x
$setup
set +x
exec 1>&3 2>&4
trap - ERR
tail -n 2 "$work/setup.log"
$work/venv/bin/tarian create-agency --slug smoke-cs --name "Smoke Children's Services" \
  --type childrens_services >/dev/null
token=\$($work/venv/bin/tarian create-user --username smoke.worker --agency smoke-cs \
  --role social_worker --password "$password" --token | tail -n 1)
$serve --pid "$work/gunicorn.pid" --error-logfile "$work/gunicorn.log" &
"$python" - <<'WAIT'
import time, urllib.error, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen("http://127.0.0.1:$port/health", timeout=2)
        break
    except urllib.error.HTTPError:
        break  # it answers (the smoke test reports what)
    except OSError:
        time.sleep(0.5)
WAIT
status=0
$work/venv/bin/python scripts/smoke_production.py --base "http://127.0.0.1:$port" \
  --username smoke.worker --password "$password" --token "\$token" || status=\$?
kill "\$(cat "$work/gunicorn.pid")" 2>/dev/null || true
wait || true
if [ "\$status" != 0 ]; then echo "--- gunicorn's log ---"; tail -n 40 "$work/gunicorn.log"; fi
if [ "\$status" = 0 ] && [ "$database" = postgres ]; then
  # The service ran as the runtime role, which may add to the audit log but not empty it.
  [ "\$(psql "\$DATABASE_URL" -tAc 'SELECT current_user')" = "$app_role" ] || status=1
  if psql "\$DATABASE_URL" -q -c 'TRUNCATE audit_accessevent' 2>/dev/null; then
    echo "The application's role could empty the audit log" >&2; status=1
  else
    echo "PostgreSQL: Tarian ran as $app_role, which cannot empty the audit log"
  fi
fi
exit "\$status"
SCRIPT
echo "== production smoke test on $database (in $work) =="
status=0
bash "$work/run.sh" || status=$?
if [ "$status" = 0 ]; then rm -rf "$work"; fi
if [ "$database" = postgres ] && [ "$status" = 0 ]; then drop_postgres; fi
exit "$status"
