/*
 * aws_service.c: checks that need the state of a service, not only its
 * configuration, or a join the assertion language cannot express.
 *
 * Parameter `check` selects one of:
 *
 *   config_recorder  AWS::Config::ConfigurationRecorder: every recorder
 *                    records all supported types, and its status, matched
 *                    by name, says recording (and the last attempt did not
 *                    fail).  A recorder without a status,
 *                    or with two of its name, is `error`.
 *   flow_logs        AWS::EC2::VPC: one flow log is ACTIVE and its
 *                    delivery has not FAILED.
 *   imds             AWS::EC2::Instance: IMDSv2 required, or the metadata
 *                    endpoint disabled (both settings must be readable,
 *                    and MetadataOptions.State, when given, applied);
 *                    terminated instances are `not_applicable` (nothing
 *                    runs that could be reached).
 *   root_mfa         AWS::IAM::AccountSummary: the root account has MFA and
 *                    it is not a virtual (TOTP) device; whether a
 *                    non-virtual device is a FIDO key or a hardware TOTP
 *                    token is not in the account summary: `error`, saying so.
 *                    AWS::IAM::CredentialReport: the root row's mfa_active
 *                    false fails; true is `error` (type unknown there).
 *   trail            AWS::CloudTrail::Trail: multi-region, logging, and
 *                    recording read and write management events.
 *   user_mfa         AWS::IAM::User: a user with a console password has
 *                    FIDO (U2F/WebAuthn) devices only; a virtual or hardware
 *                    TOTP device, even beside a FIDO key, is not
 *                    phishing-resistant.
 *
 * Values are compared as AWS documents them, case-insensitively for
 * enumerations; a value of an unexpected shape is `error`, never skipped.
 */
#include <string.h>
#include <strings.h>

#include "checks/aws/aws.h"

/* Device serials quoted in one message, at most. */
#define MAX_LISTED 3

/* 1 true, 0 false, -1 absent or not a boolean (a "true" string counts). */
static int
truth_of(const struct doc_node *n)
{
	const char *s = doc_str(n);

	if (n != NULL && n->type == DOC_BOOL)
		return n->u.b != 0;
	if (s != NULL && strcasecmp(s, "true") == 0)
		return 1;
	if (s != NULL && strcasecmp(s, "false") == 0)
		return 0;
	return -1;
}

/* Whether the string node n equals s, ignoring case. */
static int
is(const struct doc_node *n, const char *s)
{
	const char *v = doc_str(n);

	return v != NULL && strcasecmp(v, s) == 0;
}

/* The list at key, or NULL (with the evidence of what was there). */
static const struct doc_node *
list_at(struct check_ctx *c, const struct doc_node *attrs, const char *key)
{
	const struct doc_node *l = doc_get(attrs, key);

	if (l == NULL || l->type != DOC_SEQ) {
		check_evidence(c, key, l);
		return NULL;
	}
	return l;
}

/* ---------------------------------------------------------------- MFA */

/*
 * The resource part of an IAM ARN serial (after
 * arn:partition:iam:region:account:), or NULL when serial is no ARN.
 */
static const char *
arn_resource(const char *serial)
{
	const char *p = serial;
	int i;

	if (strncmp(serial, "arn:", 4) != 0)
		return NULL;
	for (i = 0; i < 5; i++)
		if ((p = strchr(p, ':')) == NULL)
			return NULL;
		else
			p++;
	return p;
}

/*
 * A FIDO security key's serial is an ARN whose resource is u2f/...; a
 * virtual device's is mfa/....  Only the resource type counts: a virtual
 * device's path may itself hold ":u2f/" (arn:aws:iam::1:mfa/x:u2f/y),
 * which a substring search took for a FIDO key.
 */
static int
is_fido(const char *serial)
{
	const char *res = arn_resource(serial);

	return res != NULL && strncmp(res, "u2f/", 4) == 0;
}

static int
is_virtual(const char *serial)
{
	const char *res = arn_resource(serial);

	return res != NULL && strncmp(res, "mfa/", 4) == 0;
}

static int
user_mfa(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *row, *devs, *pw, *sn;
	const char *user = r->id != NULL ? r->id : "?", *s, *kind = NULL;
	size_t i, nvirt = 0, nhw = 0;
	int fido = 0, active;

	row = doc_get(r->attrs, "CredentialReport");
	pw = doc_get(row, "password_enabled");
	check_evidence(c, "CredentialReport.password_enabled", pw);
	if (row == NULL)
		return check_emit(c, r, ST_ERROR,
		    "user '%s' has no credential report row, so whether it "
		    "has a console password is unknown "
		    "(iam/get-credential-report.json missing?)",
		    user);
	switch (truth_of(pw)) {
	case 0:
		return check_emit(c, r, ST_NOT_APPLICABLE,
		    "user '%s' has no console password", user);
	case 1:
		break;
	default:
		return check_emit(c, r, ST_ERROR,
		    "user '%s': credential report password_enabled is not "
		    "true or false",
		    user);
	}
	devs = doc_get(r->attrs, "MFADevices");
	check_evidence(c, "MFADevices", devs);
	if (devs == NULL)
		return check_emit(c, r, ST_ERROR,
		    "user '%s' has a console password and its MFA devices "
		    "were not exported (iam/list-mfa-devices/%s.json "
		    "missing)",
		    user, user);
	if (devs->type != DOC_SEQ)
		return check_emit(c, r, ST_ERROR,
		    "user '%s': MFADevices is a %s, not a list", user,
		    doc_type_name(devs->type));
	for (i = 0; i < devs->u.seq.n; i++) {
		sn = doc_get(devs->u.seq.items[i], "SerialNumber");
		if ((s = doc_str(sn)) == NULL || *s == '\0')
			return check_emit(c, r, ST_ERROR,
			    "user '%s': MFA device %zu has no SerialNumber",
			    user, i + 1);
		if (is_fido(s))
			fido = 1;
		else if (is_virtual(s))
			nvirt++;
		else
			nhw++;
	}
	active = truth_of(doc_get(row, "mfa_active"));
	check_evidence(
	    c, "CredentialReport.mfa_active", doc_get(row, "mfa_active"));
	if (active < 0)
		return check_emit(c, r, ST_ERROR,
		    "user '%s': credential report mfa_active is not true or "
		    "false",
		    user);
	if (fido && active == 0)
		return check_emit(c, r, ST_ERROR,
		    "user '%s': a FIDO device is listed but the credential "
		    "report says mfa_active is false (evidence disagrees)",
		    user);
	if (!fido && nvirt + nhw == 0)
		return check_emit(c, r, ST_FAIL,
		    "user '%s' has a console password and no MFA device", user);
	if (nvirt > 0 && nhw > 0)
		kind = "virtual and hardware TOTP devices";
	else if (nvirt + nhw > 0)
		kind = nvirt > 0 ? "a virtual (TOTP) MFA device"
				 : "a hardware TOTP token";
	/*
	 * With several devices any one signs in: a TOTP device beside a
	 * FIDO key is still a code a phishing page can relay.
	 */
	if (fido && kind != NULL)
		return check_emit(c, r, ST_FAIL,
		    "user '%s' has a FIDO security key but also %s, which "
		    "can be phished",
		    user, kind);
	if (fido)
		return check_emit(c, r, ST_PASS,
		    "user '%s' signs in with FIDO security keys only "
		    "(phishing-resistant)",
		    user);
	return check_emit(c, r, ST_FAIL,
	    "user '%s' has only %s, which is not phishing-resistant MFA", user,
	    kind);
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* The account's root ARN: arn:<partition>:iam::<account>:root. */
static int
is_root_arn(const char *arn)
{
	return arn != NULL && strncmp(arn, "arn:", 4) == 0 &&
	    ends_with(arn, ":root") && strstr(arn, ":iam::") != NULL;
}

/*
 * root_mfa on the credential report: its <root_account> row's mfa_active
 * false is evidence of no MFA at all (fail); true says nothing of the
 * device's type (error, pointing at the account summary, which decides).
 */
static int
root_mfa_report(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *users, *row, *mfa;
	const char *u;
	size_t i;

	if ((users = list_at(c, r->attrs, "Users")) == NULL)
		return check_emit(c, r, ST_ERROR,
		    "the credential report has no 'Users' list");
	for (i = 0, row = NULL; i < users->u.seq.n && row == NULL; i++)
		if ((u = doc_str(doc_get(users->u.seq.items[i], "user"))) !=
			NULL &&
		    strcmp(u, "<root_account>") == 0)
			row = users->u.seq.items[i];
	if (row == NULL)
		return check_emit(c, r, ST_ERROR,
		    "the credential report has no <root_account> row");
	mfa = doc_get(row, "mfa_active");
	check_evidence(c,
	    arena_printf(check_arena(c), "Users[%zu].mfa_active", i - 1), mfa);
	switch (truth_of(mfa)) {
	case 0:
		return check_emit(c, r, ST_FAIL,
		    "the root account has no MFA (credential report)");
	case 1:
		return check_emit(c, r, ST_ERROR,
		    "the credential report says root has MFA but not whether "
		    "it is phishing-resistant; the account summary and "
		    "virtual device list decide "
		    "(iam/get-account-summary.json, "
		    "iam/list-virtual-mfa-devices.json)");
	default:
		return check_emit(c, r, ST_ERROR,
		    "the credential report's root mfa_active is not true or "
		    "false");
	}
}

static int
root_mfa(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *sm, *on, *devs, *d, *sn, *uarn;
	const char *s, *u;
	int64_t enabled;
	size_t i;

	if (strcmp(r->type, "AWS::IAM::CredentialReport") == 0)
		return root_mfa_report(c, r);
	sm = doc_get(r->attrs, "SummaryMap");
	on = doc_get(sm, "AccountMFAEnabled");
	check_evidence(c, "SummaryMap.AccountMFAEnabled", on);
	if (on == NULL || on->type != DOC_INT)
		return check_emit(c, r, ST_ERROR,
		    "the account summary has no numeric "
		    "SummaryMap.AccountMFAEnabled "
		    "(iam/get-account-summary.json)");
	enabled = on->u.i;
	if (enabled == 0)
		return check_emit(c, r, ST_FAIL, "the root account has no MFA");
	if (enabled != 1)
		return check_emit(c, r, ST_ERROR,
		    "AccountMFAEnabled is %lld, not 0 or 1",
		    (long long)enabled);
	if ((devs = list_at(c, r->attrs, "VirtualMFADevices")) == NULL)
		return check_emit(c, r, ST_ERROR,
		    "the root account has MFA, but the virtual MFA device "
		    "list (iam/list-virtual-mfa-devices.json) is not in "
		    "the export, so whether it is a TOTP device is unknown");
	for (i = 0; i < devs->u.seq.n; i++) {
		d = devs->u.seq.items[i];
		sn = doc_get(d, "SerialNumber");
		if ((s = doc_str(sn)) == NULL)
			return check_emit(c, r, ST_ERROR,
			    "virtual MFA device %zu has no SerialNumber",
			    i + 1);
		uarn = doc_get(doc_get(d, "User"), "Arn");
		u = doc_str(uarn);
		/*
		 * Root's device: assigned to the root ARN, or, with no
		 * assignment shown, the name the console gives root's
		 * virtual device.  A device of that name assigned to an IAM
		 * user is that user's.
		 */
		if (is_root_arn(u) ||
		    (u == NULL &&
			ends_with(s, ":mfa/root-account-mfa-device"))) {
			check_evidence(c,
			    arena_printf(check_arena(c),
				"VirtualMFADevices[%zu].SerialNumber", i),
			    sn);
			return check_emit(c, r, ST_FAIL,
			    "the root account's MFA is the virtual (TOTP) "
			    "device '%s', which is not phishing-resistant",
			    s);
		}
	}
	return check_emit(c, r, ST_ERROR,
	    "the root account has MFA and no virtual device is assigned to "
	    "it, but the export does not show whether its device is a FIDO "
	    "security key or a hardware TOTP token (root's own "
	    "'iam list-mfa-devices' is not collected): attest it");
}

/* --------------------------------------------------------- CloudTrail */

/* Whether field selector f has an operator other than op (and Field). */
static int
other_operator(const struct doc_node *f, const char *op)
{
	size_t i;

	for (i = 0; f != NULL && f->type == DOC_MAP && i < f->u.map.n; i++)
		if (strcmp(f->u.map.pairs[i].key->str, "Field") != 0 &&
		    strcmp(f->u.map.pairs[i].key->str, op) != 0)
			return 1;
	return 0;
}

/*
 * Whether an advanced selector records management events: its field
 * selectors include eventCategory Equals Management.  *ro receives the
 * readOnly restriction: -1 none (read and write), 1 reads only, 0 writes
 * only (readOnly Equals [x] or NotEquals [x]).  Returns 1, 0 (not
 * management, or a management selector narrowed by anything but an
 * eventSource NotEquals exclusion: an eventName, an eventSource Equals
 * or StartsWith, an eventCategory NotEquals, ... records some
 * management events only), -1 (unreadable shape).
 */
static int
adv_management(const struct doc_node *sel, int *ro)
{
	const struct doc_node *fs, *f, *eq, *ne;
	size_t i, j;
	int mgmt = 0, narrowed = 0, t;

	*ro = -1;
	fs = doc_get(sel, "FieldSelectors");
	if (fs == NULL || fs->type != DOC_SEQ)
		return -1;
	for (i = 0; i < fs->u.seq.n; i++) {
		f = fs->u.seq.items[i];
		eq = doc_get(f, "Equals");
		ne = doc_get(f, "NotEquals");
		if (f->type != DOC_MAP || doc_str(doc_get(f, "Field")) == NULL)
			return -1;
		if (is(doc_get(f, "Field"), "eventCategory")) {
			if (eq == NULL || eq->type != DOC_SEQ)
				return -1;
			if (other_operator(f, "Equals"))
				narrowed = 1;
			for (j = 0; j < eq->u.seq.n; j++)
				if (is(eq->u.seq.items[j], "Management"))
					mgmt = 1;
		} else if (is(doc_get(f, "Field"), "readOnly")) {
			if (eq != NULL && !other_operator(f, "Equals"))
				;
			else if (ne != NULL && !other_operator(f, "NotEquals"))
				eq = ne;
			else
				return -1;
			if (eq->type != DOC_SEQ || eq->u.seq.n != 1 ||
			    (t = truth_of(eq->u.seq.items[0])) < 0)
				return -1;
			*ro = eq == ne ? !t : t;
		} else if (!is(doc_get(f, "Field"), "eventSource") ||
		    other_operator(f, "NotEquals"))
			narrowed = 1;
	}
	return mgmt && !narrowed;
}

/*
 * Management events recorded, read and write: 1 yes, 0 no (*why set),
 * -1 cannot tell (*why set).  Excluded event sources
 * (ExcludeManagementEventSources, an eventSource NotEquals) are accepted:
 * the console offers them for high-volume sources (KMS, RDS Data API);
 * the selectors are in the evidence.
 */
static int
trail_management(const struct doc_node *attrs, const char **why)
{
	const struct doc_node *es, *adv, *s;
	size_t i;
	int reads = 0, writes = 0, m, ro, inc;

	es = doc_get(attrs, "EventSelectors");
	adv = doc_get(attrs, "AdvancedEventSelectors");
	if (es == NULL && adv == NULL) {
		*why = "the trail's event selectors were not exported "
		       "(cloudtrail/get-event-selectors/NAME.json missing)";
		return -1;
	}
	if ((es != NULL && es->type != DOC_SEQ) ||
	    (adv != NULL && adv->type != DOC_SEQ)) {
		*why = "the trail's event selectors are not lists";
		return -1;
	}
	for (i = 0; es != NULL && i < es->u.seq.n; i++) {
		s = es->u.seq.items[i];
		if ((inc = truth_of(doc_get(s, "IncludeManagementEvents"))) <
		    0) {
			*why = "an event selector has no boolean "
			       "IncludeManagementEvents";
			return -1;
		}
		if (!inc)
			continue;
		if (is(doc_get(s, "ReadWriteType"), "All"))
			reads = writes = 1;
		else if (is(doc_get(s, "ReadWriteType"), "ReadOnly"))
			reads = 1;
		else if (is(doc_get(s, "ReadWriteType"), "WriteOnly"))
			writes = 1;
		else {
			*why = "an event selector's ReadWriteType is not "
			       "All, ReadOnly or WriteOnly";
			return -1;
		}
	}
	for (i = 0; adv != NULL && i < adv->u.seq.n; i++) {
		if ((m = adv_management(adv->u.seq.items[i], &ro)) < 0) {
			*why = "an advanced event selector has an "
			       "unreadable eventCategory or readOnly field";
			return -1;
		}
		if (m == 0)
			continue;
		if (ro != 0)
			reads = 1;
		if (ro != 1)
			writes = 1;
	}
	if (reads && writes)
		return 1;
	*why = !reads && !writes ? "the trail records no management events"
	    : reads ? "the trail records read-only management events, "
		      "not write events"
		    : "the trail records write management events, not "
		      "read events";
	return 0;
}

static int
trail(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *mr, *lg;
	const char *why = NULL;
	int m, multi, logging;

	mr = doc_get(r->attrs, "IsMultiRegionTrail");
	lg = doc_get(doc_get(r->attrs, "Status"), "IsLogging");
	check_evidence(c, "IsMultiRegionTrail", mr);
	check_evidence(c, "Status.IsLogging", lg);
	check_evidence(
	    c, "EventSelectors", doc_get(r->attrs, "EventSelectors"));
	if (doc_get(r->attrs, "AdvancedEventSelectors") != NULL)
		check_evidence(c, "AdvancedEventSelectors",
		    doc_get(r->attrs, "AdvancedEventSelectors"));
	multi = truth_of(mr);
	logging = truth_of(lg);
	m = trail_management(r->attrs, &why);
	if (multi == 0)
		return check_emit(
		    c, r, ST_FAIL, "the trail records one region only");
	if (logging == 0)
		return check_emit(c, r, ST_FAIL, "the trail is not logging");
	if (m == 0)
		return check_emit(c, r, ST_FAIL, "%s", why);
	if (multi < 0)
		return check_emit(c, r, ST_ERROR,
		    "the trail has no boolean IsMultiRegionTrail");
	if (logging < 0)
		return check_emit(c, r, ST_ERROR,
		    "the trail's status (Status.IsLogging) is not in the "
		    "export (cloudtrail/get-trail-status/NAME.json "
		    "missing?)");
	if (m < 0)
		return check_emit(c, r, ST_ERROR, "%s", why);
	return check_emit(c, r, ST_PASS,
	    "multi-region, logging, read and write management events");
}

/* ------------------------------------------------------------- Config */

static int
config_recorder(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *recs, *sts, *rec, *st, *nm;
	const char *name, *sname;
	struct arena *a = check_arena(c);
	size_t i, j, nst, sj;

	if ((recs = list_at(c, r->attrs, "ConfigurationRecorders")) == NULL)
		return check_emit(c, r, ST_ERROR,
		    "ConfigurationRecorders is absent or not a list");
	if (recs->u.seq.n == 0) {
		check_evidence(c, "ConfigurationRecorders", recs);
		return check_emit(
		    c, r, ST_FAIL, "no configuration recorder exists");
	}
	if ((sts = list_at(c, r->attrs, "ConfigurationRecordersStatus")) ==
	    NULL)
		return check_emit(c, r, ST_ERROR,
		    "the recorders' status was not exported "
		    "(configservice/describe-configuration-recorder-status"
		    ".json missing)");
	for (i = 0; i < recs->u.seq.n; i++) {
		rec = recs->u.seq.items[i];
		nm = doc_get(rec, "name");
		if ((name = doc_str(nm)) == NULL)
			return check_emit(c, r, ST_ERROR,
			    "configuration recorder %zu has no name", i + 1);
		check_evidence(c,
		    arena_printf(a,
			"ConfigurationRecorders[%zu].recordingGroup."
			"allSupported",
			i),
		    doc_get(doc_get(rec, "recordingGroup"), "allSupported"));
		switch (truth_of(
		    doc_get(doc_get(rec, "recordingGroup"), "allSupported"))) {
		case 0:
			return check_emit(c, r, ST_FAIL,
			    "recorder '%s' does not record all supported "
			    "resource types",
			    name);
		case 1:
			break;
		default:
			return check_emit(c, r, ST_ERROR,
			    "recorder '%s' has no boolean "
			    "recordingGroup.allSupported",
			    name);
		}
		/*
		 * Every status of that name: two (an export that merged two
		 * calls, one recording, one stopped) say two things, and
		 * taking the first was a pass.
		 */
		for (j = 0, st = NULL, nst = 0, sj = 0; j < sts->u.seq.n; j++)
			if ((sname = doc_str(doc_get(
				 sts->u.seq.items[j], "name"))) != NULL &&
			    strcmp(sname, name) == 0) {
				st = sts->u.seq.items[j];
				sj = j;
				nst++;
			}
		if (nst > 1) {
			check_evidence(c, "ConfigurationRecordersStatus", sts);
			return check_emit(c, r, ST_ERROR,
			    "recorder '%s' has %zu statuses in "
			    "describe-configuration-recorder-status",
			    name, nst);
		}
		j = sj + 1;
		if (st == NULL)
			return check_emit(c, r, ST_ERROR,
			    "recorder '%s' has no status in "
			    "describe-configuration-recorder-status",
			    name);
		check_evidence(c,
		    arena_printf(a,
			"ConfigurationRecordersStatus[%zu].recording", j - 1),
		    doc_get(st, "recording"));
		switch (truth_of(doc_get(st, "recording"))) {
		case 0:
			return check_emit(
			    c, r, ST_FAIL, "recorder '%s' is stopped", name);
		case 1:
			break;
		default:
			return check_emit(c, r, ST_ERROR,
			    "recorder '%s' status has no boolean 'recording'",
			    name);
		}
		if (is(doc_get(st, "lastStatus"), "Failure")) {
			check_evidence(c,
			    arena_printf(a,
				"ConfigurationRecordersStatus[%zu].lastStatus",
				j - 1),
			    doc_get(st, "lastStatus"));
			return check_emit(c, r, ST_FAIL,
			    "recorder '%s' failed its last recording attempt",
			    name);
		}
	}
	return check_emit(c, r, ST_PASS,
	    "%zu recorder(s) record all supported types and are recording",
	    recs->u.seq.n);
}

/* ---------------------------------------------------------------- VPC */

static int
flow_logs(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *fls, *fl, *dl;
	size_t i, nfailed = 0, ninactive = 0, nunknown = 0;

	if ((fls = list_at(c, r->attrs, "FlowLogs")) == NULL)
		return check_emit(c, r, ST_ERROR,
		    "the VPC's flow logs were not exported "
		    "(ec2/describe-flow-logs.json missing)");
	check_evidence(c, "FlowLogs", fls);
	if (fls->u.seq.n == 0)
		return check_emit(c, r, ST_FAIL, "the VPC has no flow log");
	for (i = 0; i < fls->u.seq.n; i++) {
		fl = fls->u.seq.items[i];
		dl = doc_get(fl, "DeliverLogsStatus");
		if (doc_str(doc_get(fl, "FlowLogStatus")) == NULL)
			nunknown++;
		else if (!is(doc_get(fl, "FlowLogStatus"), "ACTIVE"))
			ninactive++;
		else if (is(dl, "FAILED"))
			nfailed++;
		else if (!is(dl, "SUCCESS"))
			nunknown++;
		else
			return check_emit(c, r, ST_PASS,
			    "flow log '%s' is active and delivering",
			    doc_str(doc_get(fl, "FlowLogId")) != NULL
				? doc_str(doc_get(fl, "FlowLogId"))
				: "?");
	}
	if (nunknown > 0)
		return check_emit(c, r, ST_ERROR,
		    "%zu flow log(s) of the VPC have no FlowLogStatus or "
		    "no DeliverLogsStatus SUCCESS/FAILED, and no other works",
		    nunknown);
	if (nfailed > 0)
		return check_emit(c, r, ST_FAIL,
		    "no flow log of the VPC works: %zu active but failing "
		    "delivery (DeliverLogsStatus FAILED), %zu not active",
		    nfailed, ninactive);
	return check_emit(c, r, ST_FAIL, "no flow log of the VPC is active");
}

/* ---------------------------------------------------------------- EC2 */

static int
imds(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *state, *mo, *tok, *ep, *st;
	int required, disabled;

	state = doc_get(doc_get(r->attrs, "State"), "Name");
	if (is(state, "terminated")) {
		check_evidence(c, "State.Name", state);
		return check_emit(
		    c, r, ST_NOT_APPLICABLE, "the instance is terminated");
	}
	mo = doc_get(r->attrs, "MetadataOptions");
	tok = doc_get(mo, "HttpTokens");
	ep = doc_get(mo, "HttpEndpoint");
	check_evidence(c, "MetadataOptions.HttpTokens", tok);
	check_evidence(c, "MetadataOptions.HttpEndpoint", ep);
	/*
	 * Both settings are read and must be known, whichever decides: an
	 * export that lost one is incomplete evidence, not a pass.
	 */
	if (!is(tok, "required") && !is(tok, "optional"))
		return check_emit(c, r, ST_ERROR,
		    tok == NULL ? "MetadataOptions.HttpTokens is absent"
				: "MetadataOptions.HttpTokens is neither "
				  "required nor optional");
	if (!is(ep, "enabled") && !is(ep, "disabled"))
		return check_emit(c, r, ST_ERROR,
		    ep == NULL ? "MetadataOptions.HttpEndpoint is absent"
			       : "MetadataOptions.HttpEndpoint is neither "
				 "enabled nor disabled");
	/*
	 * State "pending": the settings shown are being applied and the
	 * instance still answers with the previous ones, which the export
	 * does not hold.  Only "applied" (or no State, as older exports)
	 * says the shown settings are in force.
	 */
	st = doc_get(mo, "State");
	if (st != NULL && !is(st, "applied")) {
		check_evidence(c, "MetadataOptions.State", st);
		return check_emit(c, r, ST_ERROR,
		    "MetadataOptions.State is '%s', not applied: the "
		    "settings in force are not in the export",
		    doc_str(st) != NULL ? doc_str(st)
					: doc_type_name(st->type));
	}
	required = is(tok, "required");
	disabled = is(ep, "disabled");
	if (disabled)
		return check_emit(c, r, ST_PASS,
		    "the instance metadata endpoint is disabled");
	if (required)
		return check_emit(c, r, ST_PASS, "IMDSv2 is required");
	return check_emit(c, r, ST_FAIL,
	    "the instance accepts IMDSv1 requests without a session token");
}

/* ------------------------------------------------------------- table */

/* Sorted by name. */
static const struct svc_check {
	const char *name;
	const char *type, *type2; /* the types it reads (type2 may be NULL) */
	int (*fn)(struct check_ctx *, const struct resource *);
} svc_checks[] = {
	{ "config_recorder", "AWS::Config::ConfigurationRecorder", NULL,
	    config_recorder },
	{ "flow_logs", "AWS::EC2::VPC", NULL, flow_logs },
	{ "imds", "AWS::EC2::Instance", NULL, imds },
	{ "root_mfa", "AWS::IAM::AccountSummary", "AWS::IAM::CredentialReport",
	    root_mfa },
	{ "trail", "AWS::CloudTrail::Trail", NULL, trail },
	{ "user_mfa", "AWS::IAM::User", NULL, user_mfa },
};

static int
svc_evaluate(struct check_ctx *c, const struct resource *r)
{
	const char *which = doc_str(check_param(c, "check"));
	size_t i, n = sizeof(svc_checks) / sizeof(svc_checks[0]);

	for (i = 0; which != NULL && i < n; i++)
		if (strcmp(which, svc_checks[i].name) == 0)
			break;
	if (which == NULL || i == n)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'check' must be one of config_recorder, "
		    "flow_logs, imds, root_mfa, trail, user_mfa");
	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	if (strcmp(r->type, svc_checks[i].type) != 0 &&
	    (svc_checks[i].type2 == NULL ||
		strcmp(r->type, svc_checks[i].type2) != 0))
		return check_emit(c, r, ST_ERROR,
		    "check '%s' reads %s resources, not '%s'", which,
		    svc_checks[i].type, r->type);
	if (r->attrs == NULL || r->attrs->type != DOC_MAP)
		return check_emit(
		    c, r, ST_ERROR, "the resource has no attributes");
	return svc_checks[i].fn(c, r);
}

static const char *const svc_types[] = { "AWS::CloudTrail::Trail",
	"AWS::Config::ConfigurationRecorder", "AWS::EC2::Instance",
	"AWS::IAM::CredentialReport", "AWS::EC2::VPC",
	"AWS::IAM::AccountSummary", "AWS::IAM::User", NULL };

static const struct plugin_param svc_params[] = {
	{ "check", DOC_STRING, NULL,
	    "config_recorder | flow_logs | imds | root_mfa | trail | "
	    "user_mfa" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin aws_service_plugin = {
	.name = "aws_service",
	.summary = "service state: Config recorders, CloudTrail trails, VPC "
		   "flow logs, IMDS, phishing-resistant MFA",
	.resource_types = svc_types,
	.params = svc_params,
	.evaluate = svc_evaluate,
};
