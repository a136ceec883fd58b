#!/usr/bin/env bash
# Regenerates tests/sim/expected/ from tests/sim/cases/*.go with the real Go
# toolchain. Needs Go; CI never runs it (the expected files are checked in).
#
#   tests/sim/gen_expected.sh            rewrite expected/ (idempotent)
#   CHECK=1 tests/sim/gen_expected.sh    regenerate into a temp dir and diff
#                                        against expected/ (catches flaky cases)
#   GO=/path/to/go GO_OLD=/path/to/old/go  override the toolchains
#
# After the 1.21/1.22 runs it rebuilds every case with GO_OLD (Go 1.19) and
# prints the cases whose output differs from the go1.21 expectation.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
GO=${GO:-/usr/lib/go-1.23/bin/go}
GO_OLD=${GO_OLD:-/usr/lib/go-1.19/bin/go}
MODES=(1.21 1.22)
RUN_TIMEOUT=${RUN_TIMEOUT:-60}

WORK=$(mktemp -d /tmp/strata-simgen.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# Toolchain switching and module downloads would make results depend on the
# network; every case is a single self-contained main package.
export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOPROXY=off
export GOCACHE=${GOCACHE:-/tmp/strata-simgen-gocache} GOPATH=$WORK/gopath
export GOTELEMETRY=off

OUT=$HERE/expected
if [[ "${CHECK:-0}" == 1 ]]; then OUT=$WORK/expected; fi
mkdir -p "$OUT"

# run_case GO LANGVER NAME DEST_PREFIX
# Builds cases/NAME.go as the only file of a module whose go.mod says
# `go LANGVER`, runs the binary (not `go run`, which maps every non-zero exit
# to 1), and writes DEST_PREFIX.{stdout,exit,stderr}.
run_case() {
	local go=$1 lang=$2 name=$3 dest=$4
	local dir
	dir=$(mktemp -d "$WORK/build-$lang-$name.XXXXXX")
	printf 'module simcase\n\ngo %s\n' "$lang" >"$dir/go.mod"
	cp "$HERE/cases/$name.go" "$dir/$name.go"
	if (cd "$dir" && "$go" build -o bin . >"$dir/build.log" 2>&1); then
		local code=0
		(cd "$dir" && timeout "$RUN_TIMEOUT" ./bin </dev/null >"$dest.stdout" 2>"$dir/run.err") || code=$?
		if [[ $code == 124 ]]; then
			echo "error: $name (go $lang) did not finish within ${RUN_TIMEOUT}s" >&2
			exit 1
		fi
		echo "$code" >"$dest.exit"
		head -n 1 "$dir/run.err" >"$dest.stderr"
	else
		# A build failure is what `go run` reports as exit status 1; keep the
		# first compiler diagnostic (skipping the "# module" header line).
		: >"$dest.stdout"
		echo 1 >"$dest.exit"
		awk '!/^#/ { print; exit }' "$dir/build.log" >"$dest.stderr"
	fi
}

names=()
for f in "$HERE"/cases/*.go; do names+=("$(basename "$f" .go)"); done

for name in "${names[@]}"; do
	for lang in "${MODES[@]}"; do
		run_case "$GO" "$lang" "$name" "$OUT/$name.go$lang"
	done
	echo "generated $name"
done

# syntax/*.go: line 1 is `// expect: LINE:COL: message`, the first
# diagnostic of `go build` on the file renamed to main.go. Rewriting line 1
# cannot move the error, which is always on a later line.
for f in "$HERE"/syntax/*.go; do
	[[ -e "$f" ]] || continue
	dir=$WORK/syntax-$(basename "$f" .go)
	mkdir -p "$dir"
	printf 'module simsyntax\n\ngo 1.22\n' >"$dir/go.mod"
	tail -n +2 "$f" >"$dir/body"
	{ echo '// expect: pending'; cat "$dir/body"; } >"$dir/main.go"
	if (cd "$dir" && "$GO" build -o bin . >"$dir/build.log" 2>&1); then
		echo "error: syntax/$(basename "$f") compiles; it must not" >&2
		exit 1
	fi
	msg=$(awk '!/^#/ { sub(/^\.\/main\.go:/, ""); print; exit }' "$dir/build.log")
	if [[ "$msg" == 1:* ]]; then
		echo "error: syntax/$(basename "$f"): diagnostic on line 1: $msg" >&2
		exit 1
	fi
	want="// expect: $msg"
	if [[ "${CHECK:-0}" == 1 ]]; then
		[[ "$(head -n 1 "$f")" == "$want" ]] || { echo "check: syntax/$(basename "$f") expects '$(head -n 1 "$f")', go says '$want'" >&2; status_syntax=1; }
	else
		{ echo "$want"; cat "$dir/body"; } >"$f"
	fi
done

# unsupported/*.go must be valid Go (the simulator rejects them for being
# outside its subset, not for being wrong), so each must build.
for f in "$HERE"/unsupported/*.go; do
	[[ -e "$f" ]] || continue
	dir=$WORK/unsupported-$(basename "$f" .go)
	mkdir -p "$dir"
	printf 'module simunsupported\n\ngo 1.22\n' >"$dir/go.mod"
	cp "$f" "$dir/main.go"
	if ! (cd "$dir" && "$GO" build -o bin . >"$dir/build.log" 2>&1); then
		echo "error: unsupported/$(basename "$f") is not valid Go:" >&2
		cat "$dir/build.log" >&2
		exit 1
	fi
done

# Drop expectations whose case file no longer exists, so reruns stay exact.
if [[ "${CHECK:-0}" != 1 ]]; then
	for f in "$OUT"/*.stdout; do
		[[ -e "$f" ]] || continue
		base=$(basename "$f"); base=${base%.go1.2?.stdout}
		[[ -e "$HERE/cases/$base.go" ]] || rm -f "$OUT/$base".go1.2?.{stdout,exit,stderr}
	done
fi

status=${status_syntax:-0}
if [[ "${CHECK:-0}" == 1 ]]; then
	if diff -r "$HERE/expected" "$OUT"; then
		echo "check: expected/ matches a fresh run"
	else
		echo "check: expected/ differs from a fresh run" >&2
		status=1
	fi
fi

if [[ -x "$GO_OLD" ]]; then
	echo "cross-check against $("$GO_OLD" version):"
	mkdir -p "$WORK/old"
	for name in "${names[@]}"; do
		run_case "$GO_OLD" 1.19 "$name" "$WORK/old/$name"
		if [[ $(cat "$WORK/old/$name.exit") == 1 && -s "$WORK/old/$name.stderr" ]] &&
			grep -q "$name.go:" "$WORK/old/$name.stderr" &&
			[[ ! -s "$WORK/old/$name.stdout" ]]; then
			echo "  $name: does not compile with the old toolchain: $(cat "$WORK/old/$name.stderr")"
			continue
		fi
		for ext in stdout exit stderr; do
			if ! cmp -s "$WORK/old/$name.$ext" "$OUT/$name.go1.21.$ext"; then
				echo "  $name: $ext differs"
				diff "$OUT/$name.go1.21.$ext" "$WORK/old/$name.$ext" | sed 's/^/      /' || true
			fi
		done
	done
fi
exit $status
