#!/usr/bin/env python3
"""Derives the example plans of this directory from real plans.

    ./derive.py ../../../../shared/data/exports

Base: checkov-tfplan/runner/resources/plan_nested_child_modules_with_
connections/tfplan.json (bridgecrewio/checkov, Apache-2.0; format 1.1,
Terraform 1.2.4): four S3 buckets in the root and in nested modules with
their public access blocks, one bucket ACL public-read-write.  Added, with
their real planned values: aws_security_group.web-node (SSH and HTTP open
to 0.0.0.0/0) and aws_kms_key.logs_key (rotation off) from
checkov-tfplan/runner/resources/plan/tfplan.json.  Added, written here
(no real plan holds them for these buckets): one
aws_s3_bucket_server_side_encryption_configuration and one
aws_s3_bucket_policy (deny without TLS) per bucket, in the configuration
as references to their bucket, as terraform-aws-modules writes them.

plan.json keeps the violations; compliant/plan.json changes exactly
these: the ACL private, the module's public access block on, SSH
replaced by HTTPS in the group, key rotation on.
"""
import copy
import json
import os
import sys

src = sys.argv[1]
base = json.load(open(os.path.join(src, "checkov-tfplan/runner/resources/"
    "plan_nested_child_modules_with_connections/tfplan.json")))
goat = json.load(open(os.path.join(src,
    "checkov-tfplan/runner/resources/plan/tfplan.json")))


def goat_rc(addr):
    for rc in goat["resource_changes"]:
        if rc["address"] == addr:
            rc = copy.deepcopy(rc)
            rc["provider_name"] = "registry.terraform.io/hashicorp/aws"
            return rc
    raise SystemExit("no " + addr)


def policy(name):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
        "Action": "s3:*", "Resource": ["arn:aws:s3:::%s" % name,
                                       "arn:aws:s3:::%s/*" % name],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})


def part(module, tf, name, idx, after):
    a = "%s.%s%s" % (tf, name, idx)
    r = {"address": (module + "." + a) if module else a, "mode": "managed",
         "type": tf, "name": name,
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "change": {"actions": ["create"], "before": None, "after": after,
                    "after_unknown": {"id": True, "bucket": True},
                    "before_sensitive": False, "after_sensitive": {}}}
    if module:
        r["module_address"] = module
    if idx:
        r["index"] = 0
    return r


def cfg(tf, name, ref):
    return {"address": "%s.%s" % (tf, name), "mode": "managed", "type": tf,
            "name": name, "provider_config_key": "aws", "expressions": {
                "bucket": {"references": [ref + ".id", ref]}},
            "schema_version": 0}


SSE = {"expected_bucket_owner": None, "rule": [{
    "apply_server_side_encryption_by_default": [{
        "kms_master_key_id": None, "sse_algorithm": "aws:kms"}],
    "bucket_key_enabled": True}]}

plan = copy.deepcopy(base)
rcs = plan["resource_changes"]
root = plan["configuration"]["root_module"]
calls = root["module_calls"]
mods = {
    "": (root, "root_bucket", ""),
    "module.s3_bucket": (calls["s3_bucket"]["module"], "this", "[0]"),
    "module.s3_module": (calls["s3_module"]["module"], "module_bucket", ""),
    "module.s3_module.module.s3_submodule": (
        calls["s3_module"]["module"]["module_calls"]["s3_submodule"]["module"],
        "submodule_bucket", ""),
}
for module, (mcfg, bname, idx) in mods.items():
    bucket = [rc for rc in base["resource_changes"]
              if rc["type"] == "aws_s3_bucket" and
              rc.get("module_address", "") == module][0]
    bn = bucket["change"]["after"]["bucket"]
    pname = "root" if module == "" else ("this" if idx else bname)
    rcs.append(part(module, "aws_s3_bucket_server_side_encryption_configuration",
                    pname, idx, SSE))
    rcs.append(part(module, "aws_s3_bucket_policy", pname, idx,
                    {"policy": policy(bn)}))
    ref = "aws_s3_bucket.%s%s" % (bname, idx)
    mcfg["resources"] = [r for r in mcfg["resources"] if not (
        r["type"] in ("aws_s3_bucket_policy",
                      "aws_s3_bucket_server_side_encryption_configuration")
        and r["name"] == pname)]
    mcfg["resources"].append(cfg(
        "aws_s3_bucket_server_side_encryption_configuration", pname, ref))
    mcfg["resources"].append(cfg("aws_s3_bucket_policy", pname, ref))
rcs.append(goat_rc("aws_security_group.web-node"))
rcs.append(goat_rc("aws_kms_key.logs_key"))

good = copy.deepcopy(plan)
for rc in good["resource_changes"]:
    a = rc["change"]["after"]
    if rc["type"] == "aws_s3_bucket_acl":
        a["acl"] = "private"
    if rc["type"] == "aws_s3_bucket_public_access_block":
        for k in ("block_public_acls", "block_public_policy",
                  "ignore_public_acls", "restrict_public_buckets"):
            a[k] = True
    if rc["type"] == "aws_security_group":
        for r in a["ingress"]:
            if r["from_port"] == 22:
                r["from_port"] = r["to_port"] = 443
    if rc["type"] == "aws_kms_key":
        a["enable_key_rotation"] = True

for path, p in (("plan.json", plan), ("compliant/plan.json", good)):
    with open(path, "w") as f:
        json.dump(p, f, indent=2)
        f.write("\n")
