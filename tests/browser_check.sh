#!/usr/bin/env bash
# Real-browser check of the offline HTML export (issue 5): exports the
# samples vault, loads every page headless from file:// and fails on any
# console error, CSP refusal or failed request. Pages with recorded
# simulator runs must start the player and seek to the event named in the
# URL (#sim-step=P:K). With SHOTS=dir, also writes a screenshot of the
# first player of each such page, light and dark.
#
# usage: tests/browser_check.sh [STRATA_BINARY]
#   default binary: target/debug/strata (build it first: cargo build);
#   SITE=dir checks an already exported site instead.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
strata=${1:-$root/target/debug/strata}
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "browser_check: $chromium not found; install Debian's chromium" >&2
  exit 2
fi
if [ -z "${SITE:-}" ] && [ ! -x "$strata" ]; then
  echo "browser_check: $strata not found; run cargo build first" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${SITE:-}" ]; then
  site=$(cd "$SITE" && pwd)
else
  site=$work/site
  "$strata" export "$root/samples" --html "$site" >/dev/null
fi

# Percent-encodes a path for a file:// URL (notes have spaces and CJK).
url_of() {
  python3 -c 'import sys, urllib.parse; print("file://" + urllib.parse.quote(sys.argv[1]))' "$1"
}

run_chromium() { # url out-file log-file [extra flags...]
  local url=$1 out=$2 log=$3
  shift 3
  local profile
  profile=$(mktemp -d -p "$work")
  timeout 90 "$chromium" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync \
    --no-first-run --user-data-dir="$profile" --enable-logging=stderr --v=0 \
    "$@" "$url" >"$out" 2>"$log"
}

fail=0
pages=0
players=0
while IFS= read -r -d '' page; do
  pages=$((pages + 1))
  rel=${page#"$site"/}
  frag=""
  if grep -q '<section class="sim"' "$page"; then
    frag="#sim-step=1:3"
  fi
  url="$(url_of "$page")$frag"
  if ! run_chromium "$url" "$work/dom.html" "$work/log.txt" --dump-dom; then
    echo "FAIL $rel: chromium did not finish" >&2
    fail=1
    continue
  fi
  if grep -E 'Uncaught|Refused to|Failed to load resource|net::ERR_|cannot be played' "$work/log.txt" >"$work/bad.txt"; then
    echo "FAIL $rel:" >&2
    cat "$work/bad.txt" >&2
    fail=1
  fi
  if [ -n "$frag" ]; then
    players=$((players + 1))
    if ! grep -q 'sim-live' "$work/dom.html" || ! grep -q 'event 3 of' "$work/dom.html"; then
      echo "FAIL $rel: the simulator player did not start or seek" >&2
      fail=1
    fi
    if [ -n "${SHOTS:-}" ]; then
      mkdir -p "$SHOTS"
      name=$(echo "$rel" | tr '/ ' '__')
      # A tall window and no scrolling: headless screenshots of scrolled
      # pages come out blank.
      run_chromium "$(url_of "$page")#sim-step=1:12&noscroll" /dev/null /dev/null \
        --hide-scrollbars --window-size=1280,3200 --screenshot="$SHOTS/${name%.html}.png" || true
      run_chromium "$(url_of "$page")#sim-step=1:12&noscroll" /dev/null /dev/null \
        --hide-scrollbars --window-size=1280,3200 --force-dark-mode \
        --screenshot="$SHOTS/${name%.html}-dark.png" || true
    fi
  fi
done < <(find "$site" -name '*.html' -print0)

echo "browser_check: $pages pages, $players with recorded runs"
if [ "$pages" -lt 10 ] || [ "$players" -lt 5 ]; then
  echo "browser_check: too few pages checked" >&2
  fail=1
fi
exit $fail
