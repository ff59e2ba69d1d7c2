#!/usr/bin/env python3
"""Turn every [[requests]] entry of keyshake scenario files into
@cloud-copilot/iam-simulate simulations (sims.json).

Usage: convert.py OUT.json SCENARIO.toml...

Each scenario request becomes one entry with one or two simulations: the
request itself, plus (for an S3 read or write of an SSE-KMS object) the
kms:Decrypt / kms:GenerateDataKey call S3 makes for the caller. The entry is
allowed when every one of its simulations is allowed. The policies given to
each simulation are the ones keyshake's evaluation.md says apply: the
caller's identity policies and permissions boundary, the caller account's
SCPs (not for the management account or a service principal), the resource
owner's RCPs (not for the management account or an AWS managed key), and
the key policy (kms:*) or bucket policy (s3:*). Context keys are those of
the request plus the ones keyshake fills in.

Written for keyshake; no code of iam-simulate is used here.
"""

import json
import re
import sys
import tomllib
from pathlib import Path

KMS_KEY_RE = re.compile(r"^arn:aws:kms:([^:]*):(\d{12}):(key|alias)/(.+)$")

CRYPTO = {
    "encrypt", "decrypt", "reencryptfrom", "reencryptto", "generatedatakey",
    "generatedatakeywithoutplaintext", "generatedatakeypair",
    "generatedatakeypairwithoutplaintext", "generatemac", "verifymac", "sign",
    "verify", "derivesharedsecret",
}
OTHER_CROSS = {
    "describekey", "getpublickey", "getkeyrotationstatus", "creategrant",
    "listgrants", "retiregrant", "revokegrant",
}


def aws_managed_policy(service, account, region):
    """The fixed policy keyshake generates for an AWS managed key (its
    world/load.rs aws_managed_policy_text, rebuilt here)."""
    via = f"{service}.{region}.amazonaws.com"
    return {
        "Version": "2012-10-17",
        "Id": f"aws-managed-{service}",
        "Statement": [
            {
                "Sid": f"Use through {service} by principals of account {account}",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                           "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {"kms:CallerAccount": account,
                                               "kms:ViaService": via}},
            },
            {
                "Sid": f"Key metadata for account {account}",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
                "Resource": "*",
            },
        ],
    }


class World:
    def __init__(self, doc):
        self.accounts = {a["id"]: a for a in doc.get("accounts", [])}
        self.keys = []
        for k in doc.get("keys", []):
            m = KMS_KEY_RE.match(k["arn"])
            region, account, _, kid = m.groups()
            aliases = list(k.get("aliases", []))
            if k.get("managed_by") == "aws":
                svc = k["service"]
                if f"alias/aws/{svc}" not in aliases:
                    aliases.append(f"alias/aws/{svc}")
                policy = aws_managed_policy(svc, account, region)
                managed = True
            else:
                policy = json.loads(k["policy"])
                managed = False
            self.keys.append(dict(arn=k["arn"], id=kid, account=account, region=region,
                                  aliases=aliases, policy=policy, aws_managed=managed))
        self.buckets = {b["name"]: b for b in doc.get("buckets", [])}
        # Every (account, region) with a bucket has an aws/s3 key.
        for b in self.buckets.values():
            acct, region = b["account"], b["region"]
            if not any(k["account"] == acct and k["region"] == region
                       and "alias/aws/s3" in k["aliases"] for k in self.keys):
                kid = f"aws-s3-{region}"
                self.keys.append(dict(arn=f"arn:aws:kms:{region}:{acct}:key/{kid}", id=kid,
                                      account=acct, region=region, aliases=["alias/aws/s3"],
                                      policy=aws_managed_policy("s3", acct, region),
                                      aws_managed=True))
        self.objects = {(o["bucket"], o["key"]): o for o in doc.get("objects", [])}
        self.principals = {p["arn"]: p for p in doc.get("principals", [])}

    def org_of(self, acct):
        a = self.accounts.get(acct)
        if not a:
            return None
        if a.get("org"):
            return a["org"]
        if a.get("ou_path"):
            return a["ou_path"].split("/")[0]
        return None

    def resolve_key(self, name, caller_account):
        """(key, alias or None) or None (not found), like keyshake's resolve_key."""
        m = KMS_KEY_RE.match(name)
        if m:
            region, account, kind, rest = m.groups()
            for k in self.keys:
                if k["account"] == account and k["region"] == region:
                    if kind == "key" and k["id"] == rest:
                        return k, None
                    if kind == "alias" and f"alias/{rest}" in k["aliases"]:
                        return k, f"alias/{rest}"
            return None
        if name.startswith("arn:") or not caller_account:
            return None
        for k in self.keys:
            if k["account"] != caller_account:
                continue
            if name.startswith("alias/") and name in k["aliases"]:
                return k, name
            if not name.startswith("alias/") and k["id"] == name:
                return k, None
        return None


def parse_caller(world, text):
    if not text.startswith("arn:"):
        return dict(kind="service", arn=text, account="", role_arn=None)
    parts = text.split(":", 5)
    service, account, res = parts[2], parts[4], parts[5]
    if service == "iam" and res == "root":
        return dict(kind="root", arn=text, account=account, role_arn=None)
    if service == "iam" and res.startswith("user/"):
        return dict(kind="user", arn=text, account=account, role_arn=None)
    if service == "iam" and res.startswith("role/"):
        return dict(kind="role", arn=text, account=account, role_arn=text)
    if service == "sts" and res.startswith("assumed-role/"):
        role = res.split("/")[1]
        role_arn = next((p for p in world.principals
                         if p.startswith(f"arn:aws:iam::{account}:role/")
                         and p.rsplit("/", 1)[1] == role),
                        f"arn:aws:iam::{account}:role/{role}")
        return dict(kind="session", arn=text, account=account, role_arn=role_arn)
    return dict(kind="other", arn=text, account=account, role_arn=None)


def ctx_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return [ctx_value(x) for x in v]
    return str(v)


def has_key(ctx, key):
    return any(k.lower() == key.lower() for k in ctx)


def fill(ctx, key, value):
    if not has_key(ctx, key):
        ctx[key] = value


def build_sim(world, caller, action, resource, given, via=None):
    """One simulation, or (None, reason) when it cannot be expressed."""
    service, op = action.lower().split(":", 1)
    ctx = {k: ctx_value(v) for k, v in given.items()}
    resource_policy = None
    res_arn = resource
    res_account = None
    aws_managed = False
    alias = None
    notes = []
    if service == "kms" and resource != "*":
        r = world.resolve_key(resource, caller["account"])
        if r is None:
            return None, "not_found: key or alias does not resolve from the caller's side"
        key, alias = r
        res_arn, res_account, aws_managed = key["arn"], key["account"], key["aws_managed"]
        resource_policy = key["policy"]
        if alias:
            notes.append(f"alias {alias} resolved to {key['arn']}")
        if caller["kind"] != "service" and res_account != caller["account"] \
                and op not in CRYPTO and op not in OTHER_CROSS:
            notes.append("not_cross_account operation (AWS KMS rule, not a policy)")
    elif service == "s3":
        rest = resource.removeprefix("arn:aws:s3:::")
        bucket = rest.split("/", 1)[0]
        b = world.buckets.get(bucket)
        if b is not None:
            res_account = b["account"]
            if b.get("policy"):
                resource_policy = json.loads(b["policy"])
    else:
        m = re.match(r"^arn:[^:]*:[^:]*:[^:]*:(\d{12}):", resource)
        res_account = m.group(1) if m else None

    # Context keyshake fills in.
    if caller["kind"] != "service":
        fill(ctx, "aws:PrincipalArn", caller["role_arn"] if caller["kind"] == "session" else caller["arn"])
        fill(ctx, "aws:PrincipalAccount", caller["account"])
    if res_account:
        fill(ctx, "aws:ResourceAccount", res_account)
    if service == "kms" and caller["kind"] != "service":
        fill(ctx, "kms:CallerAccount", caller["account"])
    fill(ctx, "aws:PrincipalIsAWSService", "true" if caller["kind"] == "service" else "false")
    if caller["kind"] == "service":
        fill(ctx, "aws:PrincipalServiceName", caller["arn"])
    else:
        a = world.accounts.get(caller["account"])
        org = world.org_of(caller["account"])
        if org:
            fill(ctx, "aws:PrincipalOrgID", org)
        if a and a.get("ou_path"):
            fill(ctx, "aws:PrincipalOrgPaths", [a["ou_path"]])
    if res_account and world.org_of(res_account):
        fill(ctx, "aws:ResourceOrgID", world.org_of(res_account))
    if service == "kms" and resource != "*":
        if alias and (op in CRYPTO or op in ("describekey", "getpublickey")):
            fill(ctx, "kms:RequestAlias", alias)
        if key["aliases"]:
            # keyshake shows kms:ResourceAliases to identity policies only;
            # iam-simulate has no such split, so it is given to all.
            fill(ctx, "kms:ResourceAliases", list(key["aliases"]))
    if via:
        fill(ctx, "kms:ViaService", via["service"])
        fill(ctx, "kms:EncryptionContext:aws:s3:arn", via["encryption_context"])
        fill(ctx, "aws:ViaAWSService", "true")
        # The S3 request's own s3:* keys mean nothing to the KMS call.
        ctx = {k: v for k, v in ctx.items() if not k.lower().startswith("s3:")}
    if not has_key(ctx, "kms:EncryptionContextKeys"):
        ec = [k[len("kms:EncryptionContext:"):] for k in ctx
              if k.lower().startswith("kms:encryptioncontext:") and len(k) > 22]
        if ec:
            ctx["kms:EncryptionContextKeys"] = ec

    identity, boundary = [], []
    scps, rcps = [], []
    if caller["kind"] in ("role", "session", "user"):
        p = world.principals.get(caller["role_arn"] or caller["arn"])
        if p:
            identity = [{"name": f"identity-{i + 1}", "policy": json.loads(t)}
                        for i, t in enumerate(p.get("policies", []))]
            if p.get("permissions_boundary"):
                boundary = [{"name": "boundary", "policy": json.loads(p["permissions_boundary"])}]
    if caller["kind"] == "root":
        # keyshake (like AWS) gives an account's root user the identity
        # half without any policy; iam-simulate needs a policy for it.
        identity = [{"name": "root-user-implicit", "policy": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]
        notes.append("root user: identity side given as an Allow *:* policy")
    if caller["kind"] != "service":
        a = world.accounts.get(caller["account"])
        if a and not a.get("management") and a.get("scps"):
            scps = [{"orgIdentifier": caller["account"],
                     "policies": [{"name": f"scp-{i + 1}", "policy": json.loads(t)}
                                  for i, t in enumerate(a["scps"])]}]
    if res_account and not aws_managed:
        a = world.accounts.get(res_account)
        if a and not a.get("management") and a.get("rcps"):
            rcps = [{"orgIdentifier": res_account,
                     "policies": [{"name": f"rcp-{i + 1}", "policy": json.loads(t)}
                                  for i, t in enumerate(a["rcps"])]}]

    sim = {
        "request": {
            "principal": caller["arn"],
            "action": action,
            "resource": {"resource": res_arn, "accountId": res_account or caller["account"]},
            "contextVariables": ctx,
        },
        "identityPolicies": identity,
        "serviceControlPolicies": scps,
        "resourceControlPolicies": rcps,
    }
    if boundary:
        sim["permissionBoundaryPolicies"] = boundary
    if resource_policy is not None:
        sim["resourcePolicy"] = resource_policy
    return sim, notes


def implied_kms(world, caller, action, resource, given):
    """(key name, via) of the KMS call S3 makes, or None (keyshake's s3_kms_key)."""
    op = action.lower().split(":", 1)[1]
    rest = resource.removeprefix("arn:aws:s3:::")
    if "/" not in rest:
        return None
    bname, obj = rest.split("/", 1)
    b = world.buckets.get(bname)
    if b is None:
        return None

    def aws_s3():
        for k in world.keys:
            if k["account"] == b["account"] and k["region"] == b["region"] \
                    and "alias/aws/s3" in k["aliases"]:
                return k["arn"]
        return f"arn:aws:kms:{b['region']}:{b['account']}:alias/aws/s3"

    de = b.get("default_encryption") or {}
    from_default = (de.get("kms_key") or aws_s3()) if de.get("sse") == "aws:kms" else None
    low = {k.lower(): v for k, v in given.items() if isinstance(v, str)}
    name = None
    if op in ("getobject", "getobjectversion"):
        o = world.objects.get((bname, obj))
        if o is None:
            name = from_default
        elif o.get("sse") == "aws:kms":
            if o.get("kms_key"):
                r = world.resolve_key(o["kms_key"], b["account"])
                name = r[0]["arn"] if r else o["kms_key"]
            else:
                name = aws_s3()
    elif op == "putobject":
        kid = low.get("s3:x-amz-server-side-encryption-aws-kms-key-id")
        sse = low.get("s3:x-amz-server-side-encryption")
        if kid:
            name = kid
        elif sse == "aws:kms":
            name = de.get("kms_key") or aws_s3()
        elif sse is not None:
            name = None
        else:
            name = from_default
    if name is None:
        return None
    ec = f"arn:aws:s3:::{bname}" if b.get("bucket_key") else resource
    return name, {"service": f"s3.{b['region']}.amazonaws.com", "encryption_context": ec}


def insecure(given):
    for k, v in given.items():
        if k.lower() == "aws:securetransport":
            return v is False or (isinstance(v, str) and v.lower() == "false")
    return False


def main():
    out = Path(sys.argv[1])
    files = sorted(sys.argv[2:])
    entries, skips = [], []
    for f in files:
        doc = tomllib.loads(Path(f).read_text())
        world = World(doc)
        for i, rq in enumerate(doc.get("requests", [])):
            given = rq.get("context", {})
            caller = parse_caller(world, rq["principal"])
            label = {"file": Path(f).name, "index": i, "name": rq.get("name"),
                     "principal": rq["principal"], "action": rq["action"],
                     "resource": rq["resource"], "expect": rq.get("expect")}
            sim, notes = build_sim(world, caller, rq["action"], rq["resource"], given)
            if sim is None:
                skips.append({**label, "why": notes})
                continue
            sims = [sim]
            imp = None
            if rq["action"].lower().startswith("s3:"):
                imp = implied_kms(world, caller, rq["action"], rq["resource"], given)
            if imp:
                kname, via = imp
                kaction = "kms:GenerateDataKey" if rq["action"].lower() == "s3:putobject" else "kms:Decrypt"
                if insecure(given):
                    notes.append("insecure_transport: S3 refuses SSE-KMS over HTTP (S3 rule, not a policy)")
                isim, inotes = build_sim(world, caller, kaction, kname, given, via)
                if isim is None:
                    skips.append({**label, "why": "implied KMS call: " + inotes})
                    continue
                notes += ["implied " + kaction + " on " + kname] + inotes
                sims.append(isim)
            entries.append({**label, "notes": notes, "simulations": sims})
    out.write_text(json.dumps({"entries": entries, "skips": skips}, indent=1))
    n = sum(len(e["simulations"]) for e in entries)
    print(f"{len(files)} files, {len(entries) + len(skips)} requests: "
          f"{len(entries)} converted ({n} simulations), {len(skips)} skipped", file=sys.stderr)
    for s in skips:
        print(f"  skip {s['file']}#{s['index']} {s['name']!r}: {s['why']}", file=sys.stderr)


if __name__ == "__main__":
    main()
