#!/usr/bin/env bash
# Runs every fuzz target for a time budget each (seconds, default 120) on its
# seed corpus. Seeds: copy Mermaid/Go/Markdown/DOT inputs into corpus/<target>/
# (see fuzz/README.md); crashes land in artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-120}"
for t in mermaid go markdown dot; do
  mkdir -p "corpus/$t"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=1024
done
