#!/usr/bin/env python3
"""Compare keyshake's decisions (eval --json) with iam-simulate's (run.mjs
--decisions) and print the timing figures.

usage: compare.py KEYSHAKE.json IAMSIM-DECISIONS.json SIMS.json
                  [--keyshake-ms MS] [--node-ms MS] [--version V]
"""

import argparse
import json
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument("keyshake")
ap.add_argument("iamsim")
ap.add_argument("sims")
ap.add_argument("--keyshake-ms", type=float)
ap.add_argument("--node-ms", type=float)
ap.add_argument("--version", default="?")
a = ap.parse_args()

ks = json.loads(Path(a.keyshake).read_text())
im = json.loads(Path(a.iamsim).read_text())
sims = json.loads(Path(a.sims).read_text())

ks_by = {}
for f in ks["files"]:
    for i, r in enumerate(f["results"]):
        ks_by[(Path(f["file"]).name, i)] = r
n_ks = len(ks_by)
sim_by = {(e["file"], e["index"]): e for e in sims["entries"]}

agree, disagree, errors, implied_mismatch = 0, [], [], []
for d in im["decisions"]:
    key = (d["file"], d["index"])
    r = ks_by.get(key)
    if r is None:
        errors.append((key, "no keyshake result"))
        continue
    # Does our implied KMS call match keyshake's?
    e = sim_by[key]
    ours = [(s["request"]["action"], s["request"]["resource"]["resource"]) for s in e["simulations"][1:]]
    theirs = [(x["action"], x.get("resolved") or x["resource"]) for x in r.get("implied", [])]
    if theirs and ours != theirs:
        implied_mismatch.append((key, ours, theirs))
    if d["decision"] == "error":
        msgs = [json.dumps(x.get("errors"))[:160] for x in d["results"] if x["overall"] == "Error"]
        errors.append((key, f"iam-simulate error (keyshake: {r['decision']}/{r['reason']}): " + "; ".join(msgs)))
    elif d["decision"] == r["decision"]:
        agree += 1
    else:
        disagree.append((key, r, d, e))

compared = agree + len(disagree)
print(f"\n== decisions (iam-simulate {a.version}) ==")
print(f"keyshake requests: {n_ks}; converted: {len(sims['entries'])}; skipped: {len(sims['skips'])}; "
      f"iam-simulate errors: {sum(1 for x in errors if 'iam-simulate error' in x[1])}")
print(f"compared: {compared}; agree: {agree}; disagree: {len(disagree)}")
for s in sims["skips"]:
    r = ks_by.get((s["file"], s["index"]), {})
    print(f"  skip  {s['file']}#{s['index']} (keyshake {r.get('decision')}/{r.get('reason')}): {s['why']}")
for key, msg in errors:
    print(f"  error {key[0]}#{key[1]}: {msg}")
for key, ours, theirs in implied_mismatch:
    print(f"  implied-call mismatch {key[0]}#{key[1]}: ours {ours} keyshake {theirs}")
def cause(r, d, e):
    """A best guess at why the two disagree (a label, not a verdict)."""
    ignored = [k for x in d["results"] for k in x.get("ignoredContextKeys", [])
               if k.lower().startswith("kms:encryptioncontext:")]
    if r["reason"] == "not_cross_account":
        return "KMS rule outside policies: not_cross_account"
    if r["reason"] == "insecure_transport":
        return "S3 rule outside policies: insecure_transport"
    if ignored:
        return "iam-simulate ignores kms:EncryptionContext:<key> context keys"
    pols = [json.dumps(s.get("resourcePolicy", {})) for s in e["simulations"]]
    if any("NotPrincipal" in p for p in pols):
        return "NotPrincipal semantics"
    if any("kms:ResourceAliases" in p for p in pols):
        return "conversion limit: kms:ResourceAliases is identity-only in keyshake"
    stmts = [st for s in e["simulations"] for st in (lambda sts: sts if isinstance(sts, list) else [sts])(s.get("resourcePolicy", {}).get("Statement", []))]
    if any("Resource" not in st and "NotResource" not in st for st in stmts):
        return "key-policy statement without Resource"
    return "other (wildcard/matching semantics)"


causes = {}
for key, r, d, e in disagree:
    causes.setdefault(cause(r, d, e), []).append(key)
print("disagreements by cause:")
for c, ks in sorted(causes.items(), key=lambda x: -len(x[1])):
    print(f"  {len(ks):3} {c}: " + ", ".join(f"{f}#{i}" for f, i in ks))
for key, r, d, e in disagree:
    sub = ", ".join(f"{s['request']['action']}={x['overall']}" for s, x in zip(e["simulations"], d["results"]))
    notes = "; ".join(e["notes"])
    print(f"  DIFF  {key[0]}#{key[1]} {e['name']!r}: keyshake {r['decision']}/{r['reason']}"
          f" (expect {e['expect']}), iam-simulate {d['decision']} [{sub}]" + (f" -- {notes}" if notes else ""))

t = im["timing"]
print("\n== speed ==")
np = len(t.get("passUs", [1]))
if t.get("passUs"):
    first = t["passUs"][0]
    print(f"iam-simulate in-loop, first timed pass after one warm-up pass: {first / 1000:.1f} ms"
          f" = {first / t['requests']:.1f} µs/request")
print(f"iam-simulate in-loop (warm; median of {np} pass(es), min {t.get('minUs', t['timedUs']) / t['requests']:.1f} µs/request):"
      f" {t['timedUs'] / 1000:.1f} ms for {t['requests']} requests"
      f" = {t['timedUs'] / t['requests']:.1f} µs/request ({t['timedUs'] / t['simulations']:.1f} µs/simulation)")
if a.node_ms is not None:
    print(f"iam-simulate whole process (node run.mjs --once: start, load, one cold pass): {a.node_ms:.1f} ms"
          f" for {t['requests']} requests = {a.node_ms * 1000 / t['requests']:.1f} µs/request")
if a.keyshake_ms is not None:
    ks_us = a.keyshake_ms * 1000 / n_ks
    print(f"keyshake whole process (eval --json, all files): {a.keyshake_ms:.1f} ms for {n_ks} requests"
          f" = {ks_us:.1f} µs/request")
    im_us = t["timedUs"] / t["requests"]
    print(f"ratio iam-simulate in-loop / keyshake whole-process per request: {im_us / ks_us:.1f}x"
          f" (keyshake/iam-simulate: {ks_us / im_us:.3f})")
    if a.node_ms is not None:
        node_us = a.node_ms * 1000 / t["requests"]
        print(f"ratio iam-simulate whole-process / keyshake whole-process per request: "
              f"{node_us / ks_us:.1f}x (keyshake/iam-simulate: {ks_us / node_us:.3f})")
