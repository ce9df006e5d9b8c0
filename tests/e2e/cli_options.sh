#!/bin/sh
# One consistent command line (issue 17): the option tables.  Every
# option a command's help lists is handled by the command; short options,
# aliases, "did you mean", repeated options, unknown ids, --format json
# where --json was ignored, the man page synopsis and the shell
# completions all come from the same tables.
set -u
R=${RAMPART:?}
fail=0
pass=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
t() {	# description expected-exit command...
	desc=$1 want=$2; shift 2
	out=$("$@" 2>&1); got=$?
	if [ "$got" = "$want" ]; then ok "$desc"
	else bad "$desc: exit $got, want $want"; echo "$out" | head -5; fi
}
has() {	# description needle command...
	desc=$1 needle=$2; shift 2
	if "$@" 2>&1 | grep -qF -- "$needle"; then ok "$desc"
	else bad "$desc: output lacks '$needle'"; fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
EX=examples/aws-export
T0=2026-11-01T00:00:00Z

# ------------------------------------------------ the table walk
# Every option in every command's help, given alone (with a dummy value
# when it takes one), is handled: never "accepted but not handled", never
# exit 5 (a parse that falls through), never a crash.  The help lists
# exactly what the parser accepts (both are printed from the table), so
# this walks the table.
cmds=$("$R" help | awk '/^commands:/{f=1;next} /^$/{f=0} f{print $1}')
nopts=0
for c in $cmds; do
	"$R" "$c" --help > "$tmp/help" 2>&1 || bad "$c --help exits non-zero"
	# "  -b, --baseline NAME|FILE  help" or "      --json  same as ..."
	sed -n '/^options:/,/^$/p' "$tmp/help" |
	    grep -E '^ +(-[a-zA-Z], )?--[a-z]' |
	    sed -E 's/^ +(-[a-zA-Z], )?//' > "$tmp/opts"
	while read -r name rest; do
		nopts=$((nopts + 1))
		case $rest in
		[A-Z]*) set -- "$name" "x" ;;
		*) set -- "$name" ;;
		esac
		# An empty help line is an undocumented option.
		[ -n "$rest" ] || bad "$c $name has no help text"
		[ "$name" = --help ] && continue
		out=$(cd "$tmp" && timeout 20 "$R" "$c" "$@" </dev/null 2>&1)
		rc=$?
		if echo "$out" | grep -q 'not handled'; then
			bad "$c $name is accepted but not handled"
		elif [ $rc -ge 5 ]; then
			bad "$c $name: exit $rc"; echo "$out" | head -3
		fi
	done < "$tmp/opts"
done
[ "$nopts" -gt 100 ] && ok "the table walk saw $nopts options" ||
    bad "the table walk saw only $nopts options"

# The completions and the help list the same options of scan.
"$R" completion bash > "$tmp/bash"
"$R" scan --help > "$tmp/help.scan"
for o in --baseline --input --check --skip-check --fail-on --new-since \
    --config --no-config --color --quiet --sarif-include-passes; do
	if grep -q -- "$o" "$tmp/bash" && grep -q -- "$o" "$tmp/help.scan"; then
		ok "scan $o in help and completion"
	else
		bad "scan $o missing from help or completion"
	fi
done

# ------------------------------------------------ help stays one screen
n=$("$R" help | wc -l)
[ "$n" -le 25 ] && ok "rampart help is one screen ($n lines)" ||
    bad "rampart help is $n lines"
w=$("$R" help | awk '{ if (length($0) > m) m = length($0) } END { print m }')
[ "$w" -le 80 ] && ok "rampart help fits 80 columns" || bad "help is $w wide"
for c in $cmds; do
	# (the rules directory line is as long as its path)
	w=$("$R" "$c" --help | awk '/^rule packs/ { next } { if (length($0) > m) m = length($0) } END { print m + 0 }')
	[ "$w" -le 80 ] || bad "$c --help is $w columns wide"
done

# ------------------------------------------------ did you mean
has "mistyped command" "did you mean 'scan'?" "$R" scna
t "mistyped command exits 2" 2 "$R" scna
has "mistyped option" "did you mean '--baseline'?" "$R" scan --basline x
t "mistyped option exits 2" 2 "$R" scan --basline x
has "mistyped value" "did you mean 'json'?" "$R" diff --format jsno a b
has "valid values listed" "valid values: text, json" "$R" diff --format jsno a b
has "mistyped value of a scan option" "did you mean 'checks'?" \
    "$R" scan -b example -i "$EX" --gate chekcs
has "mistyped subcommand" "did you mean 'list'?" "$R" baseline lsit
has "mistyped input format" "did you mean" "$R" scan -b example -i "$EX" \
    --input-format aws-clj
has "mistyped shell" "did you mean 'bash'?" "$R" completion bsah
has "mistyped report format, before the scan" "did you mean 'sarif'?" \
    "$R" scan -b example -i "$EX" -f json,sarfi --output-dir "$tmp/ff"
t "an empty format in the list" 2 "$R" scan -b example -i "$EX" -f json, --output-dir "$tmp/ff"
has "mistyped severity lists the levels" "info, low, medium, high, critical" \
    "$R" scan -b example -i "$EX" --fail-on hihg

# ------------------------------------------------ repeated options
t "a single-valued option given twice" 2 "$R" scan -b example -b example -i "$EX"
has "... says so" "given twice" "$R" scan -b example --baseline example -i "$EX"
t "an alias and its option are the same option" 2 \
    "$R" baseline list --json --format text
"$R" scan -b example -i "$EX" -i "$EX" --fixed-time "$T0" \
    --check 'aws-s3-*' --check 'aws-iam-*' --skip-check aws-s3-tls-only-policy \
    -f json -o "$tmp/rep.json" >/dev/null 2>&1
[ $? -ne 2 ] && jq -e '.inputs | length == 2' "$tmp/rep.json" >/dev/null &&
    ok "repeatable options repeat (-i, --check)" || bad "repeatable options"
t "an unknown short option" 2 "$R" scan -Z

# ------------------------------------------------ short options
"$R" scan --baseline example --input "$EX" --format json --output "$tmp/long.json" \
    --fixed-time "$T0" >/dev/null 2>&1
"$R" scan -b example -i "$EX" -f json -o "$tmp/short.json" \
    --fixed-time "$T0" >/dev/null 2>&1
cmp -s "$tmp/long.json" "$tmp/short.json" && ok "-b -i -f -o = long options" ||
    bad "-b -i -f -o differ from the long options"
"$R" scan -b example -i "$EX" --json --fixed-time "$T0" > "$tmp/alias.json" 2>/dev/null
"$R" scan -b example -i "$EX" --format=json --fixed-time "$T0" > "$tmp/eq.json" 2>/dev/null
cmp -s "$tmp/alias.json" "$tmp/eq.json" && ok "--json = --format=json" ||
    bad "--json differs from --format=json"
"$R" scan -b example -i "$EX" -fjson --now "$T0" > "$tmp/attached.json" 2>/dev/null
cmp -s "$tmp/alias.json" "$tmp/attached.json" &&
    ok "-fjson and --now (alias of --fixed-time)" || bad "-fjson/--now differ"

# ------------------------------------------------ --format json everywhere
for args in "baseline list" "baseline show example" \
    "baseline show example --coverage" "checks list" \
    "checks show aws-s3-no-public-acl"; do
	# shellcheck disable=SC2086
	"$R" $args --format json > "$tmp/f.json" 2>/dev/null
	jq -e . "$tmp/f.json" >/dev/null 2>&1 && ok "$args --format json is JSON" ||
	    bad "$args --format json is not JSON"
	# shellcheck disable=SC2086
	"$R" $args --json > "$tmp/j.json" 2>/dev/null
	cmp -s "$tmp/f.json" "$tmp/j.json" && ok "$args --json = --format json" ||
	    bad "$args --json differs"
done
"$R" baseline list -f json | jq -e 'map(.name) | index("fedramp-moderate") != null' \
    >/dev/null && ok "baseline list JSON names the baselines" ||
    bad "baseline list JSON"
"$R" baseline show example -f json |
    jq -e '.controls | length == 27 and all(.[]; .id and .label)' >/dev/null &&
    ok "baseline show JSON has every control with id and label" ||
    bad "baseline show JSON controls"
"$R" checks show aws-s3-no-public-acl -f json |
    jq -e '.id == "aws-s3-no-public-acl" and (.bindings | all(.[]; .control and .label))' \
    >/dev/null && ok "checks show JSON: controls in both forms" ||
    bad "checks show JSON"

# Control ids print one way in text: labels (AC-3, SC-28(1)), not ac-3.
"$R" checks list | awk 'NR > 1 && $4 != "" {print $4}' | grep -q '[a-z]-[0-9]' &&
    bad "checks list prints a lowercase control id" ||
    ok "checks list prints control labels"
"$R" checks show aws-s3-no-public-acl | grep -qE '^    [A-Z]{2}-[0-9]' &&
    ok "checks show prints control labels" || bad "checks show control ids"

# ------------------------------------------------ unknown ids: one code
t "checks show of an unknown id" 2 "$R" checks show no-such-check
t "baseline show of an unknown id" 2 "$R" baseline show no-such-baseline
has "baseline show suggests" "did you mean 'fedramp-moderate'?" \
    "$R" baseline show fedramp-moderat
has "checks show suggests" "did you mean 'aws-s3-no-public-acl'?" \
    "$R" checks show aws-s3-no-publc-acl
t "baseline show of a missing file is invalid input" 3 \
    "$R" baseline show "$tmp/none.yaml"

# ------------------------------------------------ coverage per provider
"$R" baseline show fedramp-moderate --coverage > "$tmp/cov" 2>&1
for p in AWS Azure "Google Cloud" OCI Kubernetes TLS; do
	grep -q "^  $p " "$tmp/cov" && ok "--coverage lists $p" ||
	    bad "--coverage lacks $p"
done
aws=$("$R" baseline show fedramp-moderate --coverage -f json |
    jq '.providers[] | select(.provider == "AWS") | .controls')
# The count is the controls with an AWS::* check, recomputed from show.
want=$("$R" checks list -f json | jq -r '.[] | select(any(.resource_types[]; startswith("AWS::"))) | .id' | sort > "$tmp/awschecks"
    "$R" baseline show fedramp-moderate -f json |
    jq -r '.controls[] | select(.checks | length > 0) | .id as $c | .checks[] | "\(.check) \($c)"' |
    sort | join - "$tmp/awschecks" | awk '{print $2}' | sort -u | wc -l)
[ -n "$aws" ] && [ "$aws" -gt 0 ] && [ "$aws" = "$want" ] &&
    ok "AWS coverage counts the controls with an AWS check ($aws)" ||
    bad "AWS coverage $aws, want $want"

# ------------------------------------------------ man page synopsis
sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' docs/rampart.1 |
    sed '1d;$d' > "$tmp/man.syn"
"$R" help --man > "$tmp/gen.syn"
cmp -s "$tmp/man.syn" "$tmp/gen.syn" &&
    ok "docs/rampart.1 SYNOPSIS is 'rampart help --man'" ||
    { bad "docs/rampart.1 SYNOPSIS differs from 'rampart help --man'"; diff "$tmp/man.syn" "$tmp/gen.syn" | head -10; }

# ------------------------------------------------ completion
if command -v bash >/dev/null 2>&1; then
	cat > "$tmp/comp.bash" <<EOF
source <("$R" completion bash) || exit 1
complete -p rampart >/dev/null || exit 2
COMP_WORDS=(rampart sc); COMP_CWORD=1; _rampart
[ "\${COMPREPLY[*]}" = scan ] || exit 3
COMP_WORDS=(rampart scan --skip); COMP_CWORD=2; _rampart
[ "\${COMPREPLY[*]}" = --skip-check ] || exit 4
COMP_WORDS=(rampart diff --format j); COMP_CWORD=3; _rampart
[ "\${COMPREPLY[*]}" = json ] || exit 5
COMP_WORDS=(rampart baseline s); COMP_CWORD=2; _rampart
case " \${COMPREPLY[*]} " in *" show "*) ;; *) exit 6;; esac
words=\$(compgen -W "\$(complete -p rampart >/dev/null && echo ok)")
[ "\$words" = ok ] || exit 7
exit 0
EOF
	bash "$tmp/comp.bash"; rc=$?
	[ $rc = 0 ] && ok "bash completion: complete -p, commands, options, values" ||
	    bad "bash completion (step $rc)"
fi
for sh in zsh fish; do
	"$R" completion $sh > "$tmp/c.$sh" || bad "completion $sh"
	grep -q 'skip-check' "$tmp/c.$sh" && ok "completion $sh names scan's options" ||
	    bad "completion $sh lacks options"
	if command -v $sh >/dev/null 2>&1; then
		$sh -n "$tmp/c.$sh" && ok "$sh parses its completion" ||
		    bad "$sh rejects its completion"
	fi
done
t "completion of an unknown shell" 2 "$R" completion tcsh

echo "cli_options e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
