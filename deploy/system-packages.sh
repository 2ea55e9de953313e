#!/usr/bin/env bash
# The Debian packages provdata needs, by purpose: `run` (serving the app) or `test` (run + what the tests drive).
# Installs the missing ones with apt when run as root; otherwise stops and prints the exact command to run.
# Called by `make setup` (run) and `make test` (test); fast when nothing is missing.
# `check run|test` only prints the missing packages (one line, empty when none) and never installs.
set -euo pipefail
action=install
if [ "${1:-}" = check ]; then action=check; shift; fi
purpose=${1:-run}
python=${2:-python3}
need=()

has_cmd() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
# The shared-library cache is read once into a variable and searched there: `ldconfig -p | grep -q` under
# pipefail failed at random (grep -q exits at the first match, ldconfig then dies of SIGPIPE, the pipe fails)
# and a fully installed host ran apt 2 runs in 5.
libs=$(ldconfig -p 2>/dev/null || true)
has_lib() { [[ $libs == *"$1"* ]]; }

# run: a virtual environment, and Pango for WeasyPrint's PDFs
"$python" -c 'import ensurepip, venv' 2>/dev/null || need+=("python3-venv")
has_lib libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)

if [ "$purpose" = test ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)      # browser tests (Playwright drives Debian's Chromium)
  has_lib libatomic.so.1 || need+=(libatomic1)      # Playwright's own Node.js driver links it (bare Debian lacks it)
  has_cmd pdftotext || need+=(poppler-utils)          # the PDFs' text layer
  has_cmd nginx || need+=(nginx-light)                # the scale-out test
  [ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)  # the state store suites on a real PostgreSQL
  has_cmd soffice || need+=(libreoffice-calc-nogui libreoffice-impress-nogui)  # downloads as Calc/Impress read them
  has_cmd npm || need+=(nodejs npm)                   # axe-core (accessibility test) and Lighthouse (bench), npm ci
fi

if [ "$action" = check ]; then echo "${need[*]}"; exit 0; fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "provdata needs these Debian packages: ${need[*]}" >&2
  echo "run:  sudo apt-get install -y ${need[*]}" >&2
  echo "then run make again." >&2
  exit 1
fi
