#!/usr/bin/env python3
"""Compare two rampart JSON reports field for field, but for what differs
by construction between one scan and a merge of its shards: provenance
(the merged report pins the shard reports), `shard`, `merged_shards` and
the inputs' `ordinal`.  Usage: scale_compare.py [--decisions] ONE OTHER
With --decisions only the verdict, the summary, every control's status
and every check's status and counts are compared (TLS shards each keep
their own TLS input, so inputs and result lists differ by design).
Exit 0 when equal; else prints the first differences and exits 1."""
import json
import sys

SKIP_TOP = {"provenance", "shard", "merged_shards"}


def norm(r):
    r = {k: v for k, v in r.items() if k not in SKIP_TOP}
    r["inputs"] = [{k: v for k, v in i.items() if k != "ordinal"}
                   for i in r["inputs"]]
    return r


def diff(a, b, path, out):
    if len(out) > 20:
        return
    if type(a) != type(b):
        out.append(f"{path}: {a!r} != {b!r}")
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: only in {'second' if k in b else 'first'}")
            else:
                diff(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items != {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: {a!r} != {b!r}")


def decisions(r):
    return {
        "verdict": r["verdict"],
        "summary": r["summary"],
        "controls": [
            {"id": c["id"], "status": c["status"],
             "checks": [{"id": k["id"], "status": k["status"],
                         "counts": k["counts"]} for k in c["checks"]]}
            for c in r["controls"]],
    }


args = sys.argv[1:]
pick = norm
if args and args[0] == "--decisions":
    pick = decisions
    args = args[1:]
one = pick(json.load(open(args[0])))
other = pick(json.load(open(args[1])))
out = []
diff(one, other, "$", out)
for line in out[:20]:
    print("   ", line)
sys.exit(1 if out else 0)
