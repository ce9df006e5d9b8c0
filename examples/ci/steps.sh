#!/bin/sh
# steps.sh: the commands of rampart's CI examples (github-actions.yml and
# gitlab-ci.yml call it step by step), so a pipeline and a laptop run the
# same thing: `sh examples/ci/steps.sh STEP`.
#
#   collect  collect an AWS export with rampart-collect-aws (read-only
#            calls; the credentials need aws-readonly-policy.json), unless
#            RAMPART_INPUT already names an export or a Terraform plan
#   scan     scan it against the baseline into $RAMPART_OUT: text, JSON,
#            SARIF, HTML, JUnit, the Markdown summary, each signed with
#            $RAMPART_SIGN_KEY when set; the exit code is kept in
#            $RAMPART_OUT/exit-code for the gate, so the reports are
#            uploaded whatever the verdict
#   verify   check every signature offline with $RAMPART_VERIFY_KEY
#   summary  append the Markdown summary to $GITHUB_STEP_SUMMARY (or print
#            it when there is none)
#   gate     exit with the scan's code: 0 eligible (or --gate checks
#            passes), 1 a failure, 4 evidence missing (docs: exit codes)
#
# Environment (all optional):
#   RAMPART           the binary (default: rampart on PATH)
#   RAMPART_COLLECT   the collector (default: rampart-collect-aws on PATH,
#                     else scripts/collect-aws.sh of a checkout)
#   RAMPART_BASELINE  default fedramp-moderate
#   RAMPART_INPUT     an export directory or file (default: collect into
#                     rampart-export/)
#   RAMPART_REGIONS   regions to collect (default: every enabled region)
#   RAMPART_OUT       where the reports go (default rampart-out)
#   RAMPART_SIGN_KEY  private key file (rampart keygen); its passphrase in
#                     RAMPART_PASSPHRASE when it is encrypted
#   RAMPART_VERIFY_KEY  the matching public key, for `verify`
#   RAMPART_GATE      eligibility (default) or checks
#   RAMPART_SCAN_ARGS further scan options (--poam FILE --attest FILE ...)
set -u
R=${RAMPART:-rampart}
BL=${RAMPART_BASELINE:-fedramp-moderate}
OUT=${RAMPART_OUT:-rampart-out}
IN=${RAMPART_INPUT:-rampart-export}

step=${1:-}
case $step in
collect)
	if [ -n "${RAMPART_INPUT:-}" ]; then
		echo "steps: using $RAMPART_INPUT (no collection)"
		[ -e "$RAMPART_INPUT" ] ||
			{ echo "steps: $RAMPART_INPUT does not exist" >&2; exit 2; }
		exit 0
	fi
	c=${RAMPART_COLLECT:-}
	if [ -z "$c" ]; then
		if command -v rampart-collect-aws >/dev/null 2>&1; then
			c=rampart-collect-aws
		else
			c="sh scripts/collect-aws.sh"
		fi
	fi
	# shellcheck disable=SC2086
	$c "$IN" ${RAMPART_REGIONS:-}
	rc=$?
	# 1: some calls failed, recorded in their files: the scan reports
	# the checks they feed as error (never pass).  3: nothing readable.
	[ $rc -le 1 ] || exit $rc
	;;
scan)
	mkdir -p "$OUT"
	set -- --baseline "$BL" --input "$IN" --gate "${RAMPART_GATE:-eligibility}" \
	    --format text,json,sarif,html,junit,summary-md --output-dir "$OUT"
	[ -n "${RAMPART_SIGN_KEY:-}" ] && set -- "$@" --sign "$RAMPART_SIGN_KEY"
	# shellcheck disable=SC2086
	"$R" scan "$@" ${RAMPART_SCAN_ARGS:-}
	rc=$?
	echo $rc >"$OUT/exit-code"
	# 0, 1 and 4 are verdicts (the gate decides later); 2, 3 and 5 mean
	# no trustworthy report: stop here.
	case $rc in 0 | 1 | 4) exit 0 ;; *) exit $rc ;; esac
	;;
verify)
	[ -n "${RAMPART_VERIFY_KEY:-}" ] ||
		{ echo "steps: verify needs RAMPART_VERIFY_KEY" >&2; exit 2; }
	for f in "$OUT"/report.json "$OUT"/report.sarif "$OUT"/report.txt \
	    "$OUT"/report.html "$OUT"/report.junit.xml "$OUT"/summary.md; do
		"$R" verify "$f" --key "$RAMPART_VERIFY_KEY" >/dev/null || exit $?
		echo "steps: verified $f"
	done
	;;
summary)
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
		cat "$OUT/summary.md" >>"$GITHUB_STEP_SUMMARY"
	else
		cat "$OUT/summary.md"
	fi
	;;
gate)
	[ -s "$OUT/exit-code" ] ||
		{ echo "steps: no scan result in $OUT" >&2; exit 5; }
	rc=$(cat "$OUT/exit-code")
	echo "steps: rampart scan exited $rc"
	exit "$rc"
	;;
*)
	echo "usage: $0 collect|scan|verify|summary|gate" >&2
	exit 2
	;;
esac
