#!/bin/sh
# make lint: banned functions (curl checksrc style) and clang-format.
set -u
rc=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.c' -o -name '*.h')
banned='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|gets|sscanf|atoi|atol|atof|tmpnam|mktemp)[[:space:]]*\('
if grep -nE "$banned" $files; then
	echo "lint: banned function used (see STYLE.md)" >&2
	rc=1
fi
# Only cli/ exits or prints to the user.
if grep -nE '\bexit[[:space:]]*\(' $(echo "$files" | grep -E '^(lib|rules|checks|reports)/'); then
	echo "lint: only cli/ may call exit()" >&2
	rc=1
fi
# Includes must not run back up the layering cli > reports > rules > checks > lib.
for f in $(echo "$files" | grep -E '^lib/'); do
	grep -nE '#include "(cli|reports|rules|checks)/' "$f" && rc=1
done
for f in $(echo "$files" | grep -E '^checks/'); do
	grep -nE '#include "(cli|reports|rules)/' "$f" && rc=1
done
for f in $(echo "$files" | grep -E '^rules/'); do
	grep -nE '#include "(cli|reports)/' "$f" && rc=1
done
for f in $(echo "$files" | grep -E '^reports/'); do
	grep -nE '#include "cli/' "$f" && rc=1
done
# Files over 1,500 lines, functions over 120 (scripts/sizes.allow).
./scripts/sizes.sh --check || rc=1
if command -v clang-format >/dev/null 2>&1 && [ -f .clang-format ]; then
	bad=$(for f in $files; do clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"; done)
	if [ -n "$bad" ]; then
		echo "lint: clang-format differences (run 'make format'):" >&2
		echo "$bad" >&2
		rc=1
	fi
fi
[ $rc -eq 0 ] && echo "lint: ok"
exit $rc
