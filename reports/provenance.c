/*
 * provenance.c: what a signed statement pins about a run.  Every file
 * that shaped the verdict (tool, baseline, mapping, rule packs, plugins,
 * POA&M, attestations, CRM, scope, keyring, inputs and the files of a
 * directory input) with its sha256, the options that change results and
 * the per-control statuses.  Built from the run by `scan --sign`, written
 * into report.json as `provenance`, read back by `rampart sign`.
 */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <elf.h>
#include <limits.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reports/report.h"
#include "reports/sign.h"

/* A growing list of pins in an arena. */
struct pins {
	struct arena *a;
	struct sign_pin *v;
	size_t n, cap;
};

static struct sign_pin *
pin_new(struct pins *p, struct diag *d)
{
	struct sign_pin *v;
	size_t cap;

	if (p->n == p->cap) {
		cap = p->cap ? p->cap * 2 : 16;
		v = arena_realloc(
		    p->a, p->v, p->cap * sizeof(*v), cap * sizeof(*v));
		if (v == NULL) {
			diag_sys(d, NULL, "out of memory");
			return NULL;
		}
		p->v = v;
		p->cap = cap;
	}
	memset(&p->v[p->n], 0, sizeof(p->v[0]));
	return &p->v[p->n++];
}

/* Pin one file by its bytes now. */
static int
pin_file(struct pins *p, struct diag *d, const char *role, const char *path)
{
	char hex[SHA256_HEX_LEN + 1];
	struct sign_pin *e;

	if (sha256_file_hex(d, path, hex) == -1)
		return -1;
	if ((e = pin_new(p, d)) == NULL)
		return -1;
	e->role = role;
	if ((e->name = arena_strdup(p->a, path)) == NULL ||
	    (e->sha256 = arena_strdup(p->a, hex)) == NULL)
		return diag_sys(d, NULL, "out of memory");
	return 0;
}

static int
is_yaml(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* walk()'s state: the pins, the role, the root and the manifest. */
struct walk_pins {
	struct pins *p;
	struct diag *d;
	const char *role, *root;
	struct strbuf *mf;
};

/* Pin one file found by dir_walk_files(). */
static int
pin_walked(void *ctx, const struct walk_file *f)
{
	struct walk_pins *w = ctx;
	struct sign_pin *e;

	if ((e = pin_new(w->p, w->d)) == NULL)
		return -1;
	e->role = w->role;
	e->name = arena_strdup(w->p->a, w->mf != NULL ? f->rel : f->path);
	e->sha256 = arena_strdup(w->p->a, f->sha256);
	e->input = w->mf != NULL ? arena_strdup(w->p->a, w->root) : NULL;
	if (e->name == NULL || e->sha256 == NULL ||
	    (w->mf != NULL && e->input == NULL))
		return diag_sys(w->d, NULL, "out of memory");
	if (w->mf != NULL) {
		sb_adds(w->mf, f->rel);
		sb_addc(w->mf, '\0');
		sb_adds(w->mf, f->sha256);
		sb_addc(w->mf, '\n');
	}
	return 0;
}

/*
 * Walk root in manifest order (dir_walk_files()).  input mode (mf not
 * NULL, the manifest of rules/engine.c): links skipped, regular files,
 * names relative to root, digest lines added to mf.  Pack mode
 * (rules/pack.c): links followed, *.yaml and *.yml only, full paths.
 */
static int
walk(struct pins *p, struct diag *d, const char *role, const char *root,
    struct strbuf *mf)
{
	struct walk_pins w = { p, d, role, root, mf };

	return dir_walk_files(d, root, NULL, mf != NULL ? 0 : WALK_FOLLOW,
	    mf != NULL ? NULL : is_yaml, pin_walked, &w, NULL);
}

int
pins_dir(struct arena *a, struct diag *d, const char *root,
    struct sign_pin **out, size_t *n, char digest[SHA256_HEX_LEN + 1])
{
	struct pins p = { a, NULL, 0, 0 };
	struct strbuf mf;
	int rc;

	sb_init(&mf);
	rc = walk(&p, d, "input-file", root, &mf);
	if (rc == 0 && mf.oom)
		rc = diag_sys(d, NULL, "out of memory");
	if (rc == 0)
		rc = sha256_buf_hex(d, mf.s ? mf.s : "", mf.len, digest);
	sb_free(&mf);
	*out = p.v;
	*n = p.n;
	return rc;
}

/* Pin a file, or every rule pack file under a directory. */
static int
pin_pack(struct pins *p, struct diag *d, const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return walk(p, d, "rules", path, NULL);
	return pin_file(p, d, "rules", path);
}

/* The GNU build-id note of the running program, hex, or "" (none). */
struct build_id {
	char hex[2 * 64 + 1];
};

static int
find_build_id(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct build_id *b = arg;
	const ElfW(Nhdr) * nh;
	const char *p, *end;
	size_t i, step;

	(void)size;
	/* The first object is the main program. */
	for (i = 0; i < info->dlpi_phnum; i++) {
		if (info->dlpi_phdr[i].p_type != PT_NOTE)
			continue;
		p = (const char *)(info->dlpi_addr +
		    info->dlpi_phdr[i].p_vaddr);
		end = p + info->dlpi_phdr[i].p_memsz;
		while (p + sizeof(*nh) <= end) {
			nh = (const ElfW(Nhdr) *)(const void *)p;
			step = sizeof(*nh) + ((nh->n_namesz + 3) & ~3u) +
			    ((nh->n_descsz + 3) & ~3u);
			if (step > (size_t)(end - p))
				break;
			if (nh->n_type == NT_GNU_BUILD_ID &&
			    nh->n_namesz == 4 &&
			    memcmp(p + sizeof(*nh), "GNU", 4) == 0 &&
			    nh->n_descsz > 0 && nh->n_descsz <= 64) {
				hex_encode(
				    (const unsigned char *)p + sizeof(*nh) + 4,
				    nh->n_descsz, b->hex);
				return 1;
			}
			p += step;
		}
	}
	return 1;
}

static const char *
build_id(struct arena *a)
{
	struct build_id b;

	b.hex[0] = '\0';
	dl_iterate_phdr(find_build_id, &b);
	return b.hex[0] != '\0' ? arena_strdup(a, b.hex) : NULL;
}

/* NAME (shipped rules/mappings/NAME.yaml) or a path, as rules/mapping.c. */
static const char *
mapping_file(struct arena *a, const char *name)
{
	char dir[PATH_MAX];

	if (strchr(name, '/') != NULL)
		return name;
	if (rules_dir(dir, sizeof(dir)) == -1)
		return NULL;
	return arena_printf(a, "%s/mappings/%s.yaml", dir, name);
}

static int
opt_add(struct sign_option *v, size_t *n, const char *name, const char *value)
{
	if (value == NULL)
		return -1;
	v[*n].name = name;
	v[*n].value = value;
	(*n)++;
	return 0;
}

static int
add_options(struct arena *a, struct diag *d, const struct sign_scan *s,
    struct sign_meta *m)
{
	struct sign_option *v;
	struct strbuf sb;
	char t[32];
	size_t n = 0, i;
	int bad = 0;

	if ((v = arena_alloc(a, 10 * sizeof(*v))) == NULL)
		return diag_sys(d, NULL, "out of memory");
	bad |= opt_add(v, &n, "gate", s->gate ? s->gate : "eligibility");
	bad |= opt_add(v, &n, "max_evidence_age_days",
	    arena_printf(a, "%lld", s->max_evidence_age_days));
	bad |= opt_add(
	    v, &n, "max_results", arena_printf(a, "%lld", s->max_results));
	if (s->fixed_time != 0) {
		format_time(s->fixed_time, t);
		bad |= opt_add(v, &n, "fixed_time", arena_strdup(a, t));
	}
	if (s->input_format != NULL)
		bad |= opt_add(v, &n, "input_format", s->input_format);
	/* A tailored scan says so in what is signed: it never passes for a
	 * full one. */
	if (s->selection != NULL)
		bad |= opt_add(v, &n, "selection", s->selection);
	if (s->config != NULL)
		bad |= opt_add(v, &n, "config", s->config);
	if (s->nchecks > 0) {
		sb_init(&sb);
		for (i = 0; i < s->nchecks; i++) {
			if (i > 0)
				sb_addc(&sb, ',');
			sb_adds(&sb, s->checks[i]);
		}
		bad |= sb.oom ? -1
			      : opt_add(v, &n, "checks",
				    arena_strdup(a, sb.s ? sb.s : ""));
		sb_free(&sb);
	}
	if (bad)
		return diag_sys(d, NULL, "out of memory");
	m->options = v;
	m->noptions = n;
	return 0;
}

/*
 * A directory input's files, and the proof they are the ones the scan
 * read: pinned by the caller once the scan read it (pre, when done and
 * for this path), or now.
 */
static int
pin_dir_input(struct pins *p, struct diag *d, const struct input_info *in,
    const struct sign_input_files *pre)
{
	char digest[SHA256_HEX_LEN + 1];
	struct sign_pin *e, *files;
	size_t j, nfiles;

	if (pre != NULL && pre->done && strcmp(pre->path, in->path) == 0) {
		files = pre->files;
		nfiles = pre->nfiles;
		memcpy(digest, pre->digest, sizeof(digest));
	} else if (pins_dir(p->a, d, in->path, &files, &nfiles, digest) == -1) {
		return -1;
	}
	if (strcmp(digest, in->sha256) != 0) {
		struct mark mk = { in->path, 0, 0 };

		return diag_err(d, &mk,
		    "the directory changed while it was scanned "
		    "(manifest %s, scanned %s): its report would "
		    "pin other files than the ones read",
		    digest, in->sha256);
	}
	for (j = 0; j < nfiles; j++) {
		if ((e = pin_new(p, d)) == NULL)
			return -1;
		*e = files[j];
	}
	return 0;
}

/* Every file and directory the run read, pinned. */
static int
add_pins(struct arena *a, struct diag *d, const struct assessment *r,
    const struct report_opts *ro, const struct sign_scan *s,
    struct sign_meta *m)
{
	struct pins p = { a, NULL, 0, 0 };
	char dir[PATH_MAX], real[PATH_MAX], self[SHA256_HEX_LEN + 1];
	const struct input_info *in;
	const struct baseline *bl;
	struct sign_pin *e;
	const char *map, *packs;
	struct stat st;
	size_t i;

	if (lib_self_sha256(d, self) == -1)
		return -1;
	if ((e = pin_new(&p, d)) == NULL)
		return -1;
	e->role = "tool";
	e->name = "rampart";
	e->sha256 = arena_strdup(a, self);
	e->version = ro->tool_version ? ro->tool_version : RAMPART_VERSION;
	e->build_id = build_id(a);
	if ((e = pin_new(&p, d)) == NULL)
		return -1;
	e->role = "baseline";
	e->name = r->bl->id;
	e->sha256 = r->bl->sha256;
	e->path = r->bl->path;
	/* Each baseline it extends, outermost first. */
	for (bl = baseline_parent(r->bl); bl != NULL;
	     bl = baseline_parent(bl)) {
		if ((e = pin_new(&p, d)) == NULL)
			return -1;
		e->role = "baseline";
		e->name = bl->id;
		e->sha256 = bl->sha256;
		e->path = bl->path;
	}
	/* The mapping the baseline (or one it extends) applies. */
	for (bl = r->bl; bl != NULL; bl = baseline_parent(bl)) {
		if (bl->mapping == NULL)
			continue;
		if ((map = mapping_file(a, bl->mapping)) == NULL)
			return diag_err(d, NULL,
			    "cannot find mapping '%s' to pin it", bl->mapping);
		if (pin_file(&p, d, "mapping", map) == -1)
			return -1;
	}
	/* The shipped packs, named by their canonical path. */
	if (rules_dir(dir, sizeof(dir)) == -1 ||
	    (packs = arena_printf(a, "%s/packs", dir)) == NULL)
		return diag_err(d, NULL, "cannot find the shipped rules");
	if (realpath(packs, real) != NULL &&
	    (packs = arena_strdup(a, real)) == NULL)
		return diag_sys(d, NULL, "out of memory");
	i = p.n;
	if (walk(&p, d, "rules", packs, NULL) == -1)
		return -1;
	for (; i < p.n; i++)
		p.v[i].source = "shipped";
	for (i = 0; i < s->nrules; i++)
		if (pin_pack(&p, d, s->rules[i]) == -1)
			return -1;
	for (i = 0; i < s->nplugins; i++)
		if (pin_file(&p, d, "plugin", s->plugins[i]) == -1)
			return -1;
	if ((s->poam && pin_file(&p, d, "poam", s->poam) == -1) ||
	    (s->attest && pin_file(&p, d, "attestations", s->attest) == -1) ||
	    (s->crm && pin_file(&p, d, "crm", s->crm) == -1) ||
	    (s->scope && pin_file(&p, d, "scope", s->scope) == -1) ||
	    (s->keyring && pin_file(&p, d, "keyring", s->keyring) == -1))
		return -1;
	for (i = 0; i < r->ninputs; i++) {
		in = &r->inputs[i];
		if ((e = pin_new(&p, d)) == NULL)
			return -1;
		e->role = "input";
		e->name = in->path;
		e->sha256 = in->sha256;
		e->format = in->format;
		if (in->collected != 0) {
			char t[32];

			format_time(in->collected, t);
			e->collected = arena_strdup(a, t);
			e->collected_how = in->collected_how;
		}
		if (stat(in->path, &st) == 0 && S_ISDIR(st.st_mode) &&
		    pin_dir_input(&p, d, in,
			i < s->ninput_files ? &s->input_files[i] : NULL) == -1)
			return -1;
	}
	for (i = 0; i < p.n; i++)
		if (p.v[i].name == NULL || p.v[i].sha256 == NULL)
			return diag_sys(d, NULL, "out of memory");
	m->pins = p.v;
	m->npins = p.n;
	return 0;
}

int
sign_meta_from_run(struct arena *a, struct diag *d, const struct assessment *r,
    const struct report_opts *ro, const struct sign_scan *s,
    struct sign_meta *m)
{
	struct sign_control *ctl;
	const char **passed, **failed;
	char *started, *finished;
	size_t i;

	memset(m, 0, sizeof(*m));
	started = arena_alloc(a, 32);
	finished = arena_alloc(a, 32);
	passed = arena_alloc(a, (r->ncontrols + 1) * sizeof(*passed));
	failed = arena_alloc(a, (r->ncontrols + 1) * sizeof(*failed));
	ctl = arena_alloc(a, (r->ncontrols + 1) * sizeof(*ctl));
	if (started == NULL || finished == NULL || passed == NULL ||
	    failed == NULL || ctl == NULL)
		return diag_sys(d, NULL, "out of memory");
	report_times(r, ro, started, finished);
	switch (r->verdict) {
	case VERDICT_ELIGIBLE:
		m->verdict = SIGN_VERDICT_ELIGIBLE;
		break;
	case VERDICT_NOT_ELIGIBLE:
		m->verdict = SIGN_VERDICT_NOT_ELIGIBLE;
		break;
	default:
		m->verdict = SIGN_VERDICT_INCOMPLETE;
		break;
	}
	m->started = started;
	m->finished = finished;
	m->baseline_id = r->bl->id;
	m->baseline_sha256 = r->bl->sha256;
	for (i = 0; i < r->ncontrols; i++) {
		ctl[i].id = r->controls[i].control->id;
		ctl[i].status = status_name(r->controls[i].status);
		if (r->controls[i].status == ST_PASS)
			passed[m->npassed++] = r->controls[i].control->id;
		else if (r->controls[i].status == ST_FAIL)
			failed[m->nfailed++] = r->controls[i].control->id;
	}
	m->passed = passed;
	m->failed = failed;
	m->controls = ctl;
	m->ncontrols = r->ncontrols;
	m->version = ro->tool_version;
	/* With --fixed-time the bundle is reproducible (Ed25519). */
	if (ro->fixed_time)
		m->sign_time = finished;
	if (add_pins(a, d, r, ro, s, m) == -1 || add_options(a, d, s, m) == -1)
		return -1;
	return 0;
}

/* ------------------------------------------------------ JSON, both ways */

static void
kv(struct strbuf *sb, int *first, const char *k, const char *v)
{
	if (v == NULL)
		return;
	if (!*first)
		sb_addc(sb, ',');
	*first = 0;
	sb_json_str(sb, k, strlen(k));
	sb_addc(sb, ':');
	sb_json_str(sb, v, strlen(v));
}

/* Append one ResourceDescriptor. */
static void
pin_json(struct strbuf *sb, const struct sign_pin *e)
{
	int first = 1;

	sb_addc(sb, '{');
	kv(sb, &first, "name", e->name);
	sb_adds(sb, ",\"digest\":{");
	first = 1;
	kv(sb, &first, "sha256", e->sha256);
	sb_adds(sb, "},\"annotations\":{");
	first = 1;
	kv(sb, &first, "role", e->role);
	kv(sb, &first, "version", e->version);
	kv(sb, &first, "build_id", e->build_id);
	kv(sb, &first, "path", e->path);
	kv(sb, &first, "source", e->source);
	kv(sb, &first, "input", e->input);
	kv(sb, &first, "format", e->format);
	kv(sb, &first, "collected", e->collected);
	kv(sb, &first, "collected_how", e->collected_how);
	sb_adds(sb, "}}");
}

void
provenance_pins_json(struct strbuf *sb, const struct sign_pin *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_addc(sb, ',');
		pin_json(sb, &v[i]);
	}
}

void
provenance_options_json(
    struct strbuf *sb, const struct sign_option *v, size_t n)
{
	size_t i;
	int first = 1;

	sb_addc(sb, '{');
	for (i = 0; i < n; i++)
		kv(sb, &first, v[i].name, v[i].value);
	sb_addc(sb, '}');
}

int
provenance_json(struct strbuf *sb, const struct sign_meta *m)
{
	sb_adds(sb, "{\"configuration\":[");
	provenance_pins_json(sb, m->pins, m->npins);
	sb_adds(sb, "],\"options\":");
	provenance_options_json(sb, m->options, m->noptions);
	sb_addc(sb, '}');
	return sb->oom ? -1 : 0;
}

static const char *const roles[] = { "tool", "baseline", "mapping", "rules",
	"plugin", "poam", "attestations", "crm", "scope", "keyring", "input",
	"input-file", "shard-report" };

/* A string node without embedded NUL bytes, else NULL. */
static const char *
plain(const struct doc_node *n)
{
	const char *s = doc_str(n);

	if (s == NULL || strlen(s) != n->len)
		return NULL;
	return s;
}

static int
hex64(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != SHA256_HEX_LEN)
		return 0;
	for (i = 0; i < SHA256_HEX_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int
pins_parse(struct arena *a, struct diag *d, const struct doc_node *cfg,
    struct sign_pin **out, size_t *n)
{
	const struct doc_node *e, *ann;
	struct sign_pin *v;
	size_t i, k;

	*out = NULL;
	*n = 0;
	if (cfg == NULL || cfg->type != DOC_SEQ)
		return diag_err(d, cfg ? &cfg->mark : NULL,
		    "'configuration' must be a list");
	if ((v = arena_alloc(a, (cfg->u.seq.n + 1) * sizeof(*v))) == NULL)
		return diag_sys(d, NULL, "out of memory");
	for (i = 0; i < cfg->u.seq.n; i++) {
		e = cfg->u.seq.items[i];
		memset(&v[i], 0, sizeof(v[i]));
		ann = doc_get(e, "annotations");
		v[i].name = plain(doc_get(e, "name"));
		v[i].sha256 = plain(doc_get(doc_get(e, "digest"), "sha256"));
		v[i].role = plain(doc_get(ann, "role"));
		if (v[i].name == NULL || v[i].role == NULL ||
		    !hex64(v[i].sha256))
			return diag_err(d, &e->mark,
			    "each configuration entry needs a string 'name', "
			    "annotations.role and a 64-hex digest.sha256");
		for (k = 0; k < sizeof(roles) / sizeof(roles[0]); k++)
			if (strcmp(roles[k], v[i].role) == 0)
				break;
		if (k == sizeof(roles) / sizeof(roles[0]))
			return diag_err(
			    d, &e->mark, "unknown role '%s'", v[i].role);
		v[i].version = plain(doc_get(ann, "version"));
		v[i].build_id = plain(doc_get(ann, "build_id"));
		v[i].path = plain(doc_get(ann, "path"));
		v[i].source = plain(doc_get(ann, "source"));
		v[i].input = plain(doc_get(ann, "input"));
		v[i].format = plain(doc_get(ann, "format"));
		v[i].collected = plain(doc_get(ann, "collected"));
		v[i].collected_how = plain(doc_get(ann, "collected_how"));
		if (strcmp(v[i].role, "input-file") == 0 && v[i].input == NULL)
			return diag_err(d, &e->mark,
			    "an input-file entry needs annotations.input");
	}
	*out = v;
	*n = cfg->u.seq.n;
	return 0;
}

/* ------------------------------------------------------ rechecking pins */

const char *
pin_status_name(enum pin_status s)
{
	switch (s) {
	case PIN_OK:
		return "ok";
	case PIN_CHANGED:
		return "changed";
	case PIN_MISSING:
		return "missing";
	case PIN_UNPINNED:
		return "unpinned";
	default:
		return "not_rechecked";
	}
}

/* Where a pinned path is under dirs, or NULL; want_dir: a directory. */
static const char *
locate(struct arena *a, const char *p, const char *const *dirs, size_t ndirs,
    int want_dir)
{
	const char *cand, *base = strrchr(p, '/');
	struct stat st;
	size_t i;
	int k;

	base = base != NULL ? base + 1 : p;
	for (k = 0; k < 3; k++) {
		for (i = 0; i < (k == 2 ? 1 : ndirs); i++) {
			if (k == 0 && p[0] == '/')
				continue;
			if (k == 2 && p[0] != '/')
				continue;
			cand = k == 0 ? arena_printf(a, "%s/%s", dirs[i], p)
			    : k == 1  ? arena_printf(a, "%s/%s", dirs[i], base)
				      : p;
			if (cand == NULL || stat(cand, &st) != 0)
				continue;
			if (want_dir ? S_ISDIR(st.st_mode)
				     : S_ISREG(st.st_mode))
				return cand;
		}
	}
	return NULL;
}

static int
is_dir_input(const struct sign_pin *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].role, "input-file") == 0 &&
		    strcmp(v[i].input, name) == 0)
			return 1;
	return 0;
}

/* The growing list of checks pins_recheck() returns, and its tally. */
struct recheck {
	struct arena *a;
	struct diag quiet; /* a missing file is a status, not a diagnostic */
	struct pin_check *c;
	size_t cap, nc;
	long bad; /* changed, missing or unpinned */
};

/*
 * A new zeroed check at the end of rc's list, or NULL when out of memory.
 * The pointer is valid until the next call.
 */
static struct pin_check *
recheck_add(
    struct recheck *rc, const char *role, const char *name, const char *input)
{
	struct pin_check *c;

	if (rc->nc >= rc->cap) {
		c = arena_realloc(rc->a, rc->c, rc->cap * sizeof(*c),
		    2 * rc->cap * sizeof(*c));
		if (c == NULL)
			return NULL;
		rc->c = c;
		rc->cap *= 2;
	}
	c = &rc->c[rc->nc++];
	memset(c, 0, sizeof(*c));
	c->role = role;
	c->name = name;
	c->input = input;
	return c;
}

/* Set c's status from the recomputed hex against the pinned want. */
static void
recheck_compare(
    struct recheck *rc, struct pin_check *c, const char *hex, const char *want)
{
	c->got = arena_strdup(rc->a, hex);
	c->status = strcmp(hex, want) == 0 ? PIN_OK : PIN_CHANGED;
	rc->bad += c->status != PIN_OK;
}

/* Re-hash file (NULL: not found) for check c pinned at want. */
static void
recheck_file(
    struct recheck *rc, struct pin_check *c, const char *file, const char *want)
{
	char hex[SHA256_HEX_LEN + 1];

	c->file = file;
	if (file == NULL || sha256_file_hex(&rc->quiet, file, hex) == -1) {
		c->status = PIN_MISSING;
		rc->bad++;
		return;
	}
	recheck_compare(rc, c, hex, want);
}

/* Whether v[0..n) pins name as an input-file of the input named input. */
static int
is_pinned_file(
    const struct sign_pin *v, size_t n, const char *input, const char *name)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (strcmp(v[k].role, "input-file") == 0 &&
		    strcmp(v[k].input, input) == 0 &&
		    strcmp(v[k].name, name) == 0)
			return 1;
	return 0;
}

/*
 * A directory input e located at root, for check c: its manifest digest,
 * then one unpinned check for each file it holds that v does not pin.
 * Returns 0, or -1 when out of memory (reported on d).
 */
static int
recheck_dir(struct recheck *rc, struct diag *d, struct pin_check *c,
    const struct sign_pin *v, size_t n, const struct sign_pin *e,
    const char *root)
{
	struct sign_pin *files;
	char hex[SHA256_HEX_LEN + 1];
	size_t j, nfiles;

	c->file = root;
	if (pins_dir(rc->a, &rc->quiet, root, &files, &nfiles, hex) == -1) {
		c->status = PIN_MISSING;
		rc->bad++;
		return 0;
	}
	recheck_compare(rc, c, hex, e->sha256);
	for (j = 0; j < nfiles; j++) {
		if (is_pinned_file(v, n, e->name, files[j].name))
			continue;
		if ((c = recheck_add(
			 rc, "input-file", files[j].name, e->name)) == NULL)
			return diag_sys(d, NULL, "out of memory");
		c->got = files[j].sha256;
		c->file = arena_printf(rc->a, "%s/%s", root, files[j].name);
		c->status = PIN_UNPINNED;
		rc->bad++;
	}
	return 0;
}

/* The located file of input-file pin e under its input's root, or NULL. */
static const char *
input_file_path(struct arena *a, const struct sign_pin *v, size_t n,
    const char *const *roots, const struct sign_pin *e)
{
	const char *root = NULL, *file;
	struct stat st;
	size_t j;

	for (j = 0; j < n; j++)
		if (roots[j] != NULL && strcmp(v[j].name, e->input) == 0)
			root = roots[j];
	file = root != NULL ? arena_printf(a, "%s/%s", root, e->name) : NULL;
	if (file != NULL && lstat(file, &st) != 0)
		file = NULL;
	return file;
}

long
pins_recheck(struct arena *a, struct diag *d, const struct sign_pin *v,
    size_t n, const char *const *dirs, size_t ndirs, struct pin_check **out,
    size_t *nout)
{
	struct recheck rc = { .a = a, .cap = n + 1 };
	struct pin_check *c;
	const char **roots;
	size_t i;

	*out = NULL;
	*nout = 0;
	if ((rc.c = arena_alloc(a, rc.cap * sizeof(*rc.c))) == NULL ||
	    (roots = arena_alloc(a, (n + 1) * sizeof(*roots))) == NULL)
		return diag_sys(d, NULL, "out of memory");
	/* Directory inputs first: their files are looked up under them. */
	for (i = 0; i < n; i++) {
		roots[i] = NULL;
		if (strcmp(v[i].role, "input") == 0 &&
		    is_dir_input(v, n, v[i].name))
			roots[i] = locate(a, v[i].name, dirs, ndirs, 1);
	}
	diag_init(&rc.quiet);
	for (i = 0; i < n; i++) {
		const struct sign_pin *e = &v[i];

		if ((c = recheck_add(&rc, e->role, e->name, e->input)) ==
		    NULL) {
			diag_free(&rc.quiet);
			return diag_sys(d, NULL, "out of memory");
		}
		c->source = e->source;
		c->want = e->sha256;
		/* The tool, and live TLS probes (their digest covers the
		 * observations, not a file). */
		if (strcmp(e->role, "tool") == 0 ||
		    (strcmp(e->role, "input") == 0 && e->format != NULL &&
			strcmp(e->format, "tls") == 0))
			c->status = PIN_NOT_RECHECKED;
		else if (strcmp(e->role, "input-file") == 0)
			recheck_file(&rc, c, input_file_path(a, v, n, roots, e),
			    e->sha256);
		else if (roots[i] != NULL) {
			if (recheck_dir(&rc, d, c, v, n, e, roots[i]) == -1) {
				diag_free(&rc.quiet);
				return -1;
			}
		} else
			recheck_file(&rc, c,
			    locate(a,
				strcmp(e->role, "baseline") == 0 && e->path
				    ? e->path
				    : e->name,
				dirs, ndirs, 0),
			    e->sha256);
	}
	diag_free(&rc.quiet);
	*out = rc.c;
	*nout = rc.nc;
	return rc.bad;
}
