/*
 * terraform.h: the Terraform plan adapter (checks/sources/terraform.c)
 * and the declarative tables that map each provider's plan attributes
 * onto the canonical resource shapes of docs/resources.md
 * (checks/sources/tf_<provider>.c).  Internal to checks/sources/.
 */
#ifndef RAMPART_TERRAFORM_H
#define RAMPART_TERRAFORM_H

#include "checks/sources/sources.h"

/* How one plan attribute becomes a canonical one. */
enum tf_how {
	TF_COPY, /* the value as it is */
	/* A list of blocks: each element through `sub`, into a list. */
	TF_LIST,
	/* A block list of at most one: its element through `sub`, a map. */
	TF_BLOCK,
	/* Scalars (a list, or one) as a list of {wrap: value}. */
	TF_WRAP,
	/* 0 means "not set" (the CLI then omits the attribute). */
	TF_ZERO_ABSENT,
	/* The constant `def`, whatever the plan says (`from` unused). */
	TF_CONST,
	/* A JSON document held in a string, parsed (policies). */
	TF_JSON,
	/* A value from a fixed set, through `enums` (canned ACLs). */
	TF_ENUM,
	/*
	 * The planned resource's address, "(planned: ADDRESS)" (`from`
	 * unused): for an identifier a check counts (a flow log's id) that
	 * the service assigns only when the resource is created.
	 */
	TF_ADDRESS,
};

/* One value of a TF_ENUM: the plan's string and its JSON meaning. */
struct tf_enum {
	const char *value;
	const char *json;
};

/*
 * One attribute: `from` is a dotted path into the planned values
 * (`metadata_options.0.http_tokens`: a number is a list index), `to` a
 * dotted canonical path (`MetadataOptions.HttpTokens`).  A value the
 * plan leaves null or absent takes `def` (JSON text) only when `src`
 * names where the provider documents that default.
 */
struct tf_attr {
	const char *from;
	const char *to;
	enum tf_how conv;
	const struct tf_attr *sub; /* TF_LIST, TF_BLOCK: { NULL } ended */
	const char *wrap; /* TF_WRAP: each element's key */
	const struct tf_enum *enums; /* TF_ENUM: { NULL } ended */
	const char *def; /* JSON text, or NULL */
	const char *src; /* the provider's documentation of def */
	/*
	 * An identifier the service assigns (an id, an ARN): known only
	 * after apply for a new resource, it is then left absent, not
	 * unreadable, since no check decides on it.
	 */
	int ident;
	/*
	 * An attribute a separate resource of the plan may set (a bucket's
	 * encryption, ACL, policy: tf_type.into): known only after apply,
	 * it is left to that resource, or absent with the reason in
	 * Terraform.NotInPlan (checks reading it are error), not unreadable.
	 */
	int joinable;
	/*
	 * Read only when an earlier entry left `to` unset: the same setting
	 * given two ways (a canned ACL, or the grants the provider computes
	 * from it, known only after apply).
	 */
	int fallback;
	/*
	 * A null the plan knows is the canonical null (OCI: no kms-key-id
	 * means Oracle-managed keys), not an absent attribute.
	 */
	int keep_null;
	/* TF_LIST, TF_COPY: an empty list leaves the attribute absent. */
	int empty_absent;
	/*
	 * TF_LIST of allow-only rules (security groups): an element, or the
	 * whole list, not known until apply becomes the element
	 * {unknown_as: "(not known until apply: ...)"}, which the check
	 * reports as error unless the known rules already fail it; without
	 * it, the attribute is unreadable.
	 */
	const char *unknown_as;
};

/*
 * A resource type of a provider.  A plain type (`type` set) becomes a
 * resource of that canonical type.  A part (`target` set) configures
 * another resource (a bucket's encryption, a group's rule): its mapped
 * attributes are joined into the target, found by value (the part's
 * `ref` equals the target's `target_key`) or, when the value is known
 * only after apply, by the reference the plan's configuration shows.
 */
struct tf_type {
	const char *tf; /* "aws_db_instance" */
	const char *type; /* "AWS::RDS::DBInstance", or NULL for a part */
	const struct tf_attr *attrs; /* { NULL } ended */
	/* Parts: */
	const char *target; /* the tf type it configures */
	const char *ref; /* its attribute naming the target */
	const char *target_key; /* the target's attribute ref equals */
	const char *into; /* the target's canonical attribute */
	const char *part_key; /* the part's attribute taken (NULL: all) */
	int append; /* append to the list `into` (rules) */
	/* `into_alt` instead when the part's dir_attr is dir_value. */
	const char *dir_attr, *dir_value, *into_alt;
	/* Plain types that parts join: held until the plan is read. */
	int deferred; /* Parts: as tf_attr.unknown_as, for the part as a whole. */
	const char *unknown_as;
	/*
	 * Rules judged with their siblings (Google Cloud firewalls and their
	 * network): resources of this type whose attribute `group` has one
	 * value, or refers to one `group_ref` resource in the configuration,
	 * each get the canonical attributes of all of them (themselves
	 * included) as the list `group_into`.  A resource whose group is
	 * known only after apply and cannot be resolved gets none (its check
	 * is error).
	 */
	const char *group, *group_ref, *group_into;
};

/*
 * What a target holds in `into` when no part in the plan sets it: on a
 * resource the plan creates, `created` (JSON text, with `src` saying
 * why the new resource has it) or, with not_configured, null and
 * NotConfigured; otherwise, and on updates, the attribute is unreadable
 * (its value after apply is not in the plan).
 */
struct tf_absent {
	const char *target;
	const char *into;
	const char *part; /* the tf type that would set it */
	const char *created; /* JSON text, or NULL */
	int not_configured;
	const char *src;
};

struct tf_provider {
	const char *prefix; /* "aws_" */
	const char *name; /* "aws" (struct resource provider) */
	const struct tf_type *types; /* sorted by tf */
	size_t ntypes;
	const struct tf_absent *absent; /* { NULL } ended */
};

extern const struct tf_provider tf_aws;
extern const struct tf_provider tf_azure;
extern const struct tf_provider tf_google;
extern const struct tf_provider tf_oci;

#endif /* RAMPART_TERRAFORM_H */
