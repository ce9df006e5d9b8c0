#!/bin/sh
# Regenerate the shipped FedRAMP Rev5 baselines from the official OSCAL
# files (see ../shared/data/fedramp/SOURCE.md).  Usage:
#   ./scripts/make-baselines.sh RAMPART SHARED_DIR
# LOW, MODERATE and LI-SaaS come from the current (HEAD) resolved-profile
# catalogs.  The current HIGH catalog is published only as XML here, which
# the importer does not read; HIGH is the complete YAML catalog of
# b5f530eb with the current HIGH profile applied over it, so its parameter
# values and CORE props are the current ones (the control set is the same
# 410 ids).
set -eu
rampart=${1:?usage: make-baselines.sh RAMPART SHARED_DIR}
shared=${2:?usage: make-baselines.sh RAMPART SHARED_DIR}
src=$shared/data/fedramp
out=rules/baselines
[ -d "$src" ] || { echo "make-baselines: no $src" >&2; exit 3; }
mkdir -p "$out"

imp() {	# id impact catalog [profile]
	id=$1 impact=$2 cat=$3
	shift 3
	set -- ${1:+--profile "$1"}
	"$rampart" baseline import-oscal "$cat" "$@" --id "$id" \
	    --impact "$impact" --mapping fedramp --out "$out/$id.yaml"
}

imp fedramp-low low \
    "$src/FedRAMP_rev5_LOW-baseline-resolved-profile_catalog.yaml"
imp fedramp-moderate moderate \
    "$src/FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.yaml"
imp fedramp-high high \
    "$src/b5f530eb/FedRAMP_rev5_HIGH-baseline-resolved-profile_catalog.yaml" \
    "$src/FedRAMP_rev5_HIGH-baseline_profile.json"
imp fedramp-li-saas li-saas \
    "$src/FedRAMP_rev5_LI-SaaS-baseline-resolved-profile_catalog.yaml"
