#!/bin/sh
# collect-gcp.sh: collect the gcloud outputs rampart's "gcp-gcloud" adapter
# reads, with read-only calls only (describe, list, get-iam-policy).
#
# Usage: scripts/collect-gcp.sh OUTDIR PROJECT...
#   Credentials come from gcloud's own configuration (gcloud auth login,
#   or GOOGLE_APPLICATION_CREDENTIALS / CLOUDSDK_* for a service account).
#   The least role that reads everything: scripts/gcp-readonly-role.yaml.
#
# Layout (docs/gcp.md), one folder per project:
#   OUTDIR/rampart-collection.json             when the collection ran
#   OUTDIR/<project>/<service>/<command>.json  gcloud ... --format=json
#   OUTDIR/<project>/<service>/<command>/<name>.json   per resource
#
# gcloud's list commands fetch every page themselves; the script never
# passes --limit or --page-size.  A call that fails is not dropped: its
# file holds {"error": {"code": N, "status": "...", "message": "..."}}
# (the status read from gcloud's message: PERMISSION_DENIED,
# UNAUTHENTICATED, RESOURCE_EXHAUSTED, SERVICE_DISABLED, NOT_FOUND or
# UNKNOWN), so rampart reports the affected checks as `error`, never
# `pass`; SERVICE_DISABLED (the API is off, so none of its resources
# exists) is evidence, not a failure.  Progress goes to stderr.  Exit 0
# when every call succeeded, 1 when some failed (their files say which),
# 2 on a usage error or when the credentials can read nothing.
set -u

if [ $# -lt 2 ]; then
	echo "usage: $0 OUTDIR PROJECT..." >&2
	exit 2
fi
out=$1
shift
command -v gcloud >/dev/null 2>&1 ||
	{ echo "collect-gcp: error: gcloud not found" >&2; exit 2; }
acct=$(gcloud auth list --filter=status:ACTIVE --format='value(account)' \
	2>/dev/null | head -n 1)
if [ -z "$acct" ]; then
	echo "collect-gcp: error: gcloud has no active account; run" \
		"'gcloud auth login' or activate a service account" >&2
	exit 2
fi
mkdir -p "$out" || exit 2
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
failed_log=$out/.collect-failures
: >"$failed_log"

json_escape() {
	tr -d '\r' | tr '\n\t' '  ' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'
}

# The REST status a gcloud error message names.
status_of() {
	if grep -q -e SERVICE_DISABLED -e 'has not been used in project' \
		-e 'not enabled on project' -e 'API has not been enabled' "$1"; then
		echo "403 SERVICE_DISABLED"
	elif grep -q -e UNAUTHENTICATED -e 'Reauthentication' \
		-e 'active account' -e 'HTTPError 401' "$1"; then
		echo "401 UNAUTHENTICATED"
	elif grep -q -e RESOURCE_EXHAUSTED -e 'Quota exceeded' \
		-e 'HTTPError 429' "$1"; then
		echo "429 RESOURCE_EXHAUSTED"
	elif grep -q -e PERMISSION_DENIED -e 'does not have' \
		-e 'HTTPError 403' -e 'Permission denied' "$1"; then
		echo "403 PERMISSION_DENIED"
	elif grep -q -e NOT_FOUND -e 'HTTPError 404' "$1"; then
		echo "404 NOT_FOUND"
	else
		echo "0 UNKNOWN"
	fi
}

# run FILE ARGS...: one gcloud call (its JSON output) into FILE.
run() {
	file=$1
	shift
	echo "collect-gcp: gcloud $*" >&2
	mkdir -p "$(dirname "$file")"
	if gcloud "$@" --format=json >"$file.tmp" 2>"$file.err"; then
		[ -s "$file.tmp" ] || echo '[]' >"$file.tmp"
		mv "$file.tmp" "$file"
	else
		set -- $(status_of "$file.err")
		msg=$(json_escape <"$file.err")
		printf '{"error": {"code": %s, "status": "%s", "message": "%s"}}\n' \
			"$1" "$2" "$msg" >"$file"
		rm -f "$file.tmp"
		if [ "$2" != SERVICE_DISABLED ]; then
			echo "collect-gcp: warning: call failed ($2), recorded in $file" >&2
			echo "$file" >>"$failed_log"
		fi
	fi
	rm -f "$file.err"
}

# names ARGS...: the values one field of a listing holds, one a line.
names() {
	gcloud "$@" 2>/dev/null
}

# Merge JSON arrays (files) into one array on stdout.
merge_arrays() {
	printf '['
	sep=
	for f in "$@"; do
		body=$(sed -e '1s/^[[:space:]]*\[//' -e '$s/\][[:space:]]*$//' "$f")
		if printf '%s' "$body" | grep -q '[^[:space:]]'; then
			printf '%s%s' "$sep" "$body"
			sep=,
		fi
	done
	printf ']\n'
}

for p in "$@"; do
	d=$out/$p
	mkdir -p "$d"
	echo "collect-gcp: project $p" >&2
	run "$d/projects/describe.json" projects describe "$p"
	run "$d/projects/get-iam-policy.json" projects get-iam-policy "$p"
	if grep -q '"error"' "$d/projects/describe.json" &&
		grep -q '"error"' "$d/projects/get-iam-policy.json"; then
		echo "collect-gcp: error: the credentials of '$acct' can read" \
			"nothing in project '$p' (projects describe and" \
			"get-iam-policy both failed); grant" \
			"scripts/gcp-readonly-role.yaml" >&2
		exit 2
	fi
	run "$d/resource-manager/org-policies-list.json" \
		resource-manager org-policies list --project="$p"
	# The effective policy (inheritance applied) of the constraints the
	# checks read.
	for c in iam.disableServiceAccountKeyCreation; do
		run "$d/resource-manager/org-policies-describe-effective/$c.json" \
			resource-manager org-policies describe "$c" \
			--project="$p" --effective
	done
	run "$d/compute/firewall-rules-list.json" \
		compute firewall-rules list --project="$p"
	run "$d/compute/networks-subnets-list.json" \
		compute networks subnets list --project="$p"
	run "$d/compute/ssl-policies-list.json" \
		compute ssl-policies list --project="$p"
	run "$d/compute/target-https-proxies-list.json" \
		compute target-https-proxies list --project="$p"
	run "$d/sql/instances-list.json" sql instances list --project="$p"
	run "$d/container/clusters-list.json" \
		container clusters list --project="$p"
	run "$d/logging/sinks-list.json" logging sinks list --project="$p"
	run "$d/logging/buckets-list.json" logging buckets list --project="$p"
	run "$d/services/list.json" services list --enabled --project="$p"
	run "$d/storage/buckets-list.json" \
		storage buckets list --project="$p" --raw
	if ! grep -q '"error"' "$d/storage/buckets-list.json"; then
		names storage buckets list --project="$p" --raw \
			--format='value(name)' | while read -r b; do
			[ -n "$b" ] || continue
			run "$d/storage/buckets-get-iam-policy/$b.json" \
				storage buckets get-iam-policy "gs://$b"
		done
	fi
	run "$d/iam/service-accounts-list.json" \
		iam service-accounts list --project="$p"
	if ! grep -q '"error"' "$d/iam/service-accounts-list.json"; then
		names iam service-accounts list --project="$p" \
			--format='value(email)' | while read -r e; do
			[ -n "$e" ] || continue
			run "$d/iam/service-accounts-keys-list/$e.json" \
				iam service-accounts keys list --iam-account="$e" \
				--project="$p"
		done
	fi
	# Key rings live per location: every location's list, merged into
	# one; a failed location makes the merged listing that error.
	mkdir -p "$d/kms/.rings"
	run "$d/kms/.rings/locations.json" kms locations list --project="$p"
	ringerr=
	locs=
	if grep -q '"error"' "$d/kms/.rings/locations.json"; then
		ringerr=$d/kms/.rings/locations.json
	else
		locs=$(names kms locations list --project="$p" \
			--format='value(locationId)')
		for l in $locs; do
			run "$d/kms/.rings/ring-$l.json" kms keyrings list \
				--location="$l" --project="$p"
			if grep -q '"error"' "$d/kms/.rings/ring-$l.json"; then
				ringerr=$d/kms/.rings/ring-$l.json
			fi
		done
	fi
	if [ -n "$ringerr" ]; then
		cp "$ringerr" "$d/kms/keyrings-list.json"
	else
		set -- "$d"/kms/.rings/ring-*.json
		[ -e "$1" ] || set --
		merge_arrays "$@" >"$d/kms/keyrings-list.json"
		for l in $locs; do
			for r in $(names kms keyrings list --location="$l" \
				--project="$p" --format='value(name)'); do
				f=$(printf '%s' "$r" | tr '/' '_')
				run "$d/kms/keys-list/$f.json" kms keys list \
					--keyring="$r" --location="$l"
			done
		done
	fi
	rm -rf "$d/kms/.rings"
done

finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)
printf '{"collector": "scripts/collect-gcp.sh", "started": "%s", "finished": "%s"}\n' \
	"$started" "$finished" >"$out/rampart-collection.json"
n=$(wc -l <"$failed_log")
rm -f "$failed_log"
if [ "$n" -gt 0 ]; then
	echo "collect-gcp: $n calls failed; their files record the error" >&2
	exit 1
fi
echo "collect-gcp: done" >&2
exit 0
