#!/usr/bin/env bash
# Upgrade a host from any earlier release. Run it in the NEW release's checkout (set up with `make setup`), with the
# deployment's store configured (/etc/provdata/provdata.toml, PROVDATA_CONFIG or PROVDATA_STATE_URL), the old
# host's app stopped:
#
#     deploy/upgrade.sh /srv/provdata-old [/srv/provdata-old/var]
#
# 1. imports what the old host made into the state store — accounts and API tokens (var/accounts.json), uploads
#    (var/uploads/), added indicators (var/indicators.csv), a later release's embedded store (var/state.sqlite) and
#    the chart and plan edits planners made in its data/strategy/*.csv — without changing the old checkout;
# 2. rebuilds this checkout's warehouse from the shipped data and the store;
# 3. prints what it imported and the build. Safe to run twice (nothing is imported twice).
# The other hosts on the same store follow by themselves (they rebuild when the store moves). Then point the
# service at the new checkout and restart it (docs/operations.md, "Upgrade").
set -euo pipefail
old=${1:?usage: deploy/upgrade.sh OLD_CHECKOUT [OLD_STATE_DIR]}
state=${2:-$old/var}
cd "$(dirname "$0")/.."
py=${PROVDATA_PYTHON:-.venv/bin/python}
[ -x "$py" ] || { echo "no $py: run make setup in $(pwd) first" >&2; exit 1; }
[ -d "$old/data/strategy" ] || { echo "$old is not a provdata checkout (no data/strategy)" >&2; exit 1; }
[ "$(cd "$old" && pwd -P)" != "$(pwd -P)" ] || { echo "give the OLD checkout, not this one" >&2; exit 1; }

"$py" -m provdata state migrate --from-checkout "$old" --state-dir "$state"
"$py" -m provdata build
echo "upgrade from $old done: restart the service on this checkout (docs/operations.md)"
