#!/bin/sh
# The command line: the subcommand table, usage errors, exit codes,
# help for every command, and `rampart doc`.
set -u
R=${RAMPART:?}
fail=0
t() {	# description expected-exit command...
	desc=$1 want=$2; shift 2
	out=$("$@" 2>&1); got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: $desc: exit $got, want $want"; echo "$out" | head -5
		fail=1
	else
		echo "ok: $desc"
	fi
}
has() {	# description needle command...
	desc=$1 needle=$2; shift 2
	if "$@" 2>&1 | grep -qF -- "$needle"; then echo "ok: $desc"
	else echo "FAIL: $desc: output lacks '$needle'"; fail=1; fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

t "no arguments is a usage error" 2 "$R"
t "unknown command" 2 "$R" frobnicate
t "--version" 0 "$R" --version
has "--version prints the version" "rampart 0." "$R" --version
t "--help" 0 "$R" --help
# Every command in the help listing answers --help with exit 0, and the
# listing is sorted (it is printed from the one sorted table).
cmds=$("$R" help | awk '/^commands:/{f=1;next} /^$/{f=0} f{print $1}')
[ -n "$cmds" ] || { echo "FAIL: no commands listed"; fail=1; }
sorted=$(printf '%s\n' $cmds | LC_ALL=C sort)
[ "$(printf '%s\n' $cmds)" = "$sorted" ] && echo "ok: commands sorted" || { echo "FAIL: commands not sorted"; fail=1; }
for c in $cmds; do
	t "$c --help" 0 "$R" "$c" --help
	t "$c with an unknown option" 2 "$R" "$c" --no-such-option
done
t "help scan" 0 "$R" help scan
t "scan without --baseline" 2 "$R" scan --input x
t "scan without --input" 2 "$R" scan --baseline example

# rampart doc: tree with types and line:col, path selection, errors.
printf '{"a": [1, {"b": "x"}], "c": true}\n' > "$tmp/d.json"
has "doc shows types and positions" 'string "x"  @1:17' "$R" doc "$tmp/d.json"
has "doc --path selects" 'string "x"' "$R" doc "$tmp/d.json" --path 'a[1].b'
t "doc on a missing file is invalid input" 3 "$R" doc "$tmp/none.json"
printf '{"a": 1,}\n' > "$tmp/bad.json"
has "doc reports file:line:col" "bad.json:1:" "$R" doc "$tmp/bad.json"
t "doc on malformed JSON exits 3" 3 "$R" doc "$tmp/bad.json"
printf 'a: 1\na: 2\n' > "$tmp/dup.yaml"
has "duplicate keys are rejected with both positions" "duplicate key 'a' (first defined at 1:1)" "$R" doc "$tmp/dup.yaml"
printf 'k: [1, 2]\n' > "$tmp/y.yaml"
has "yaml flow seq" "seq (2)" "$R" doc "$tmp/y.yaml"
t "doc --path with bad syntax is a usage error" 2 "$R" doc "$tmp/y.yaml" --path 'k['
# --tls-timeout: range-checked before the cast to milliseconds (nan, inf
# and 1e999 made it undefined behaviour).
for v in 1e999 nan inf -1 0 0.0001 600.1; do
	t "--tls-timeout $v is a usage error" 2 "$R" scan --baseline fedramp-low \
	    --input examples/aws-export --tls-timeout "$v"
done
exit $fail
