/*
 * marketplace.h: the FedRAMP Marketplace feed, placement workloads and the
 * placement decision (docs/placement.md).
 *
 * The feed is either the JSON the marketplace.fedramp.gov site loads
 * ({meta, data: {Products: [...]}}) or rampart's compact copy of it
 * ({rampart_marketplace: 1, source: {...}, offerings: [...]}), written by
 * `rampart marketplace import`.  Values rampart does not know (a new status,
 * impact level or service model) are kept as text, reported as warnings,
 * and never taken for a known one.
 *
 * The decision (mkt_decide) is a pure function over plain data: the cli
 * verifies evidence and hands over what the verified report says.
 */
#ifndef RAMPART_MARKETPLACE_H
#define RAMPART_MARKETPLACE_H

#include "lib/lib.h"

/* Status of an offering on the Marketplace. */
enum mkt_status {
	MKT_ST_UNKNOWN, /* a value rampart does not know */
	MKT_ST_AUTHORIZED, /* "FedRAMP Authorized" */
	MKT_ST_READY, /* "FedRAMP Ready" */
	MKT_ST_IN_PROCESS, /* "FedRAMP In Process" */
	MKT_ST_AGENCY_IN_PROCESS /* "Agency In Process" */
};

/* Impact levels, ordered: a higher value covers the lower ones. */
enum mkt_level {
	MKT_LVL_UNKNOWN = 0,
	MKT_LVL_LI_SAAS = 1,
	MKT_LVL_LOW = 2,
	MKT_LVL_MODERATE = 3,
	MKT_LVL_HIGH = 4
};

/* Service models, as a bit set. */
#define MKT_SM_IAAS 1u
#define MKT_SM_PAAS 2u
#define MKT_SM_SAAS 4u

/* One cloud service offering.  Strings live in the feed's arena. */
struct mkt_offering {
	const char *id, *csp, *cso;
	const char *status; /* as in the feed */
	const char *impact_level; /* as in the feed ("20x Low") */
	const char *deployment_model, *auth_type, *auth_date;
	const char *annual_assessment; /* may be NULL */
	enum mkt_status st;
	enum mkt_level level;
	int is_20x; /* the level is a FedRAMP 20x one */
	unsigned models; /* MKT_SM_* bits of the known models */
	int unknown_model; /* a service model rampart does not know */
	const char **service_models; /* as in the feed */
	size_t nmodels;
	const char **leveraged; /* ids of the offerings built on this one */
	size_t nleveraged;
	struct mark mark;
};

struct mkt_feed {
	struct arena *a;
	const char *path;
	char sha256[SHA256_HEX_LEN + 1]; /* of the file read */
	/* The official feed this came from (itself, or the compact copy's
	 * recorded source). */
	const char *last_change; /* meta.last_change as given */
	int64_t last_change_t; /* epoch seconds */
	const char *source_sha256; /* sha256 of the official feed */
	const char *produced_by; /* may be NULL */
	int compact; /* read from rampart's compact copy */
	struct mkt_offering *v; /* sorted by id */
	size_t n;
	size_t nunknown; /* offerings with an unknown value */
};

/*
 * Load a feed (official or compact; detected from its shape) from path.
 * Checks the shape: every offering needs string id, csp, cso, status and
 * impact_level, a list service_model and leveraged_systems; ids are
 * unique; meta.last_change is an RFC 3339 time.  Unknown status, level or
 * model values are warnings in d (with file:line:col), counted in nunknown.
 * A leveraged id missing from the feed is a warning.  NULL on error; free
 * with mkt_feed_free().
 */
struct mkt_feed *mkt_feed_load(struct diag *d, const char *path);
/* The same over a buffer (borrowed); name is used in messages. */
struct mkt_feed *mkt_feed_load_buf(
    struct diag *d, const char *name, const char *buf, size_t len);
void mkt_feed_free(struct mkt_feed *f); /* accepts NULL */
/* The offering with that id, or NULL. */
const struct mkt_offering *mkt_find(const struct mkt_feed *f, const char *id);
/*
 * Write the compact copy of f (only the fields rampart uses, offerings
 * sorted by id, the source's last_change, produced_by and sha256) to fp.
 * Deterministic.  0 or -1 (a write error).
 */
int mkt_feed_write_compact(const struct mkt_feed *f, FILE *fp);

const char *mkt_status_name(enum mkt_status s); /* "authorized", ... */
/* "li-saas", "low", "moderate", "high"; "unknown". */
const char *mkt_level_name(enum mkt_level l);
/* Parse a workload level (li-saas, low, moderate, high); -1 if unknown. */
int mkt_level_parse(const char *s, enum mkt_level *out);
/*
 * Parse a feed impact level ("LI-SaaS", "Low", "Moderate", "High", with an
 * optional "20x " prefix).  MKT_LVL_UNKNOWN for anything else.
 */
enum mkt_level mkt_level_from_feed(const char *s, int *is_20x);
/* Feed status text to enum; MKT_ST_UNKNOWN for anything else. */
enum mkt_status mkt_status_from_feed(const char *s);

/* ------------------------------------------------------------ workload */

struct mkt_workload {
	struct arena *a;
	const char *path;
	char sha256[SHA256_HEX_LEN + 1];
	const char *name;
	enum mkt_level impact;
	unsigned models; /* required MKT_SM_* bits; 0 = any */
	const char **providers; /* CSP names; NULL = every provider */
	size_t nproviders;
	const char *baseline; /* given or fedramp-<impact> */
};

/*
 * Load a workload file (YAML or JSON): name, impact, optional
 * service_models, providers, baseline.  Unknown keys, a bad level or
 * model are errors with file:line:col.  NULL on error.
 */
struct mkt_workload *mkt_workload_load(struct diag *d, const char *path);
void mkt_workload_free(struct mkt_workload *w); /* accepts NULL */

/* ------------------------------------------------------------ decision */

enum mkt_verdict { MKT_ELIGIBLE, MKT_NOT_ELIGIBLE, MKT_INCOMPLETE };
/* "eligible", "not_eligible", "incomplete". */
const char *mkt_verdict_name(enum mkt_verdict v);

/* Tenancy evidence for one offering, already verified by the caller. */
struct mkt_evidence {
	const char *offering_id;
	const char *path, *sha256; /* the report file */
	const char *baseline_id; /* the report's baseline.id */
	const char *verdict; /* the report's verdict */
	const char *signer_key_id;
	const char *finished; /* the report's finished time, or NULL */
};

/* One offering another is built on (the inverse of leveraged_systems). */
struct mkt_base {
	const struct mkt_offering *o;
	int depth; /* 1 = built directly on it */
};

struct mkt_candidate {
	const struct mkt_offering *o;
	enum mkt_verdict decision;
	const char **reasons; /* every reason, in a fixed order */
	size_t nreasons;
	struct mkt_base *bases; /* sorted by depth, then id */
	size_t nbases;
	const struct mkt_evidence *evidence; /* NULL: none given */
};

struct mkt_placement {
	struct mkt_candidate *v; /* ranked: eligible, incomplete, rest */
	size_t n;
	size_t count[3]; /* per enum mkt_verdict */
	enum mkt_verdict verdict;
	int feed_stale; /* feed older than MKT_STALE_DAYS at `now` */
	int64_t feed_age_days;
};

#define MKT_STALE_DAYS 90

/*
 * Decide every candidate of workload w over feed f at time now (epoch
 * seconds): the offerings of w's providers (all offerings when none are
 * named).  ev[0..nev) is verified evidence keyed by offering id.
 * A candidate is eligible when: status is FedRAMP Authorized, its level
 * is at least w's, it provides every required model, every offering it
 * is built on (transitively) is authorized at w's level or above, and
 * its evidence, if any, is for w's baseline and eligible.  Evidence that
 * is incomplete, or a value rampart does not know, makes the candidate
 * incomplete unless another reason already blocks it.  The verdict is
 * eligible when a candidate is, else incomplete when one is, else not
 * eligible.  Everything is allocated in arena a.  0 or -1 (memory).
 */
int mkt_decide(struct arena *a, const struct mkt_feed *f,
    const struct mkt_workload *w, const struct mkt_evidence *ev, size_t nev,
    int64_t now, struct mkt_placement *out);

#endif /* RAMPART_MARKETPLACE_H */
