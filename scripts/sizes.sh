#!/bin/sh
# scripts/sizes.sh [--check]: C files over 1,500 lines and functions over
# 120 lines (from the line naming the function to its closing brace, in
# the house style: the name starts a line, the body ends with "}" alone).
# With --check (run by scripts/lint.sh), fail on any that is not listed in
# scripts/sizes.allow with its reason, and on any entry there that is no
# longer over the limit, so the list only shrinks.
set -u
files=$(git ls-files 'lib/*.c' 'checks/*.c' 'rules/*.c' 'reports/*.c' \
	'cli/*.c' 2>/dev/null)
found=$(for f in $files; do
	n=$(wc -l <"$f")
	[ "$n" -gt 1500 ] && echo "$f $n lines"
done
awk '
FNR == 1 { infn = 0 }
/^[A-Za-z_][A-Za-z0-9_]*\(/ {
	name = $0; sub(/\(.*/, "", name); start = FNR; infn = 1; next
}
infn && /^}/ {
	if (FNR - start + 1 > 120)
		printf "%s:%s %d lines\n", FILENAME, name, FNR - start + 1
	infn = 0
}' $files)
[ "${1:-}" = --check ] || { [ -n "$found" ] && echo "$found"; exit 0; }
rc=0
allow=$(grep -v '^#' scripts/sizes.allow | awk 'NF { print $1 }')
echo "$found" | while read -r what n rest; do
	[ -n "$what" ] || continue
	if ! echo "$allow" | grep -qxF "$what"; then
		echo "lint: $what is $n lines (limit: 1,500 a file, 120 a function)" >&2
		exit 1
	fi
done || rc=1
for a in $allow; do
	if ! echo "$found" | awk '{ print $1 }' | grep -qxF "$a"; then
		echo "lint: $a is within the limit now: remove it from scripts/sizes.allow" >&2
		rc=1
	fi
done
exit $rc
