"""Generates the lint corpus: bare policy JSON files, each with the kind to
lint it as and the categories of finding that keyshake's contract expects.

Deterministic: the same seed and catalog give the same files. Action and key
names come from keyshake's own catalog (data/aws-catalog.txt), typos are
made from them and checked not to be valid names themselves.
"""

import fnmatch
import json
import random
import re
from pathlib import Path

SEED = 20261203
SERVICES = ["kms", "s3", "iam", "sts", "ec2", "lambda", "dynamodb", "sqs", "sns", "logs"]
KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ALIAS = "arn:aws:kms:us-east-1:111122223333:alias/finance"
BUCKET = "arn:aws:s3:::reports"
OBJECTS = "arn:aws:s3:::reports/*"
ROLE = "arn:aws:iam::111122223333:role/app"
USER = "arn:aws:iam::111122223333:user/alice"


def load_catalog(path):
    """{prefix: {"actions": set(lower), "names": [..], "keys": {name: type},
    "takes": {action: set(lower keys)}}}."""
    svc, cur = {}, None
    for line in Path(path).read_text().splitlines():
        tag, _, rest = line.partition(" ")
        if tag == "S":
            cur = svc.setdefault(rest.strip(), {"names": [], "keys": {}, "takes": {}, "types": {}})
        elif cur is None:
            continue
        elif tag == "N":
            cur["names"].extend(rest.split(" "))
        elif tag == "A":
            name, types, keys = (rest.split(" ") + ["-", "-"])[:3]
            cur["names"].append(name)
            cur["takes"][name] = (types, keys)
        elif tag == "R":
            name, _arn, keys = (rest.split(" ") + ["-", "-"])[:3]
            cur["types"][name] = keys
        elif tag == "K":
            name, _, ty = rest.partition(" ")
            cur["keys"][name] = ty.split(" ")[0]
    for s in svc.values():
        s["actions"] = {n.lower() for n in s["names"]}
        for action, (types, keys) in s["takes"].items():
            ks = set(keys.split(","))
            for t in types.split(","):
                ks.update(s["types"].get(t, "-").split(","))
            s["takes"][action] = {k.lower() for k in ks if k != "-"}
    return svc


def load_parliament_actions(path):
    """Parliament's action names ({prefix: set(lower)}), for the families of
    names one catalog has and the other lacks. Empty when not installed."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}
    return {s["prefix"]: {p["privilege"].lower() for p in s["privileges"]} for s in data}


def typo(rng, word, taken):
    """A one-edit typo of `word` that is not in `taken` (lower case)."""
    for _ in range(50):
        i = rng.randrange(1, len(word) - 1)
        op = rng.choice(["drop", "swap", "double", "vowel"])
        if op == "drop":
            t = word[:i] + word[i + 1 :]
        elif op == "swap":
            t = word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
        elif op == "double":
            t = word[:i] + word[i] + word[i:]
        else:
            vowels = "aeiou"
            j = next((k for k in range(i, len(word)) if word[k] in vowels), None)
            if j is None:
                continue
            t = word[:j] + rng.choice([v for v in vowels if v != word[j]]) + word[j + 1 :]
        if t.lower() != word.lower() and t.lower() not in taken:
            return t
    return word + "x"


def doc(*statements, version=True):
    d = {"Version": "2012-10-17"} if version else {}
    d["Statement"] = list(statements)
    return d


def stmt(action, resource="*", condition=None, effect="Allow", sid=None, **extra):
    s = {}
    if sid:
        s["Sid"] = sid
    s["Effect"] = effect
    s.update(extra)
    if action is not None:
        s["Action"] = action
    if resource is not None:
        s["Resource"] = resource
    if condition:
        s["Condition"] = condition
    return s


class Corpus:
    def __init__(self, catalog, parliament_actions, seed=SEED):
        self.c = catalog
        self.p = parliament_actions
        # Keys some action or resource type lists (lower case).
        self.listed = {k for svc in catalog.values() for ks in svc["takes"].values() for k in ks}
        self.rng = random.Random(seed)
        self.cases = []

    def add(self, family, policy, expect=(), kind="identity", note=""):
        name = f"{len(self.cases) + 1:03d}-{family}"
        self.cases.append(
            {"name": name, "family": family, "kind": kind, "policy": policy,
             "expect": sorted(set(expect)), "note": note}
        )

    def names(self, prefix):
        return self.c[prefix]["names"]

    def build(self):
        for fam in (self.typo_actions, self.unknown_services, self.wildcards,
                    self.typo_keys, self.templated_keys, self.not_applicable,
                    self.operator_types, self.resources, self.not_elements,
                    self.resource_policies, self.clean, self.valid_actions,
                    self.catalog_edges, self.cross_service_keys, self.catalog_keys,
                    self.multi):
            fam()
        return self.cases

    def typo_actions(self):
        for prefix in SERVICES:
            names = sorted(self.names(prefix))
            for name in self.rng.sample(names, 6):
                bad = typo(self.rng, name, self.c[prefix]["actions"])
                self.add("typo-action", doc(stmt(f"{prefix}:{bad}")), ["action"],
                         note=f"typo of {prefix}:{name}")

    def unknown_services(self):
        for bad in ["kmss", "s4", "iamm", "stss", "ec22", "lamda", "dynamo", "sqss",
                    "snss", "log", "cloudwatchh", "secretmanager", "ssmm", "foo", "acme"]:
            self.add("unknown-service", doc(stmt(f"{bad}:GetThing")), ["service"])

    def wildcards(self):
        good = ["kms:GenerateDataKey*", "s3:Get*", "iam:*User*", "ec2:Describe*",
                "s3:?etObject", "lambda:*Function*", "sts:Assume*", "dynamodb:Batch*",
                "sqs:*Message", "logs:Put*", "kms:*", "s3:*Object*", "iam:List*",
                "kms:Re*", "ec2:*Tags"]
        for a in good:
            assert self.matches(a), a
            self.add("wildcard-ok", doc(stmt(a)))
        none = ["kms:Decrpt*", "s3:Gett*", "iam:*Usr", "ec2:Descibe*", "lambda:Invok*Fn",
                "sts:Asume*", "dynamodb:Qury*", "sqs:*Mesage", "logs:Puut*", "kms:*Kee",
                "s3:List*Bukets", "iam:Craete?Role", "sns:Publsh*", "ec2:Run*Instance",
                "kms:Enc???pt"]
        for a in none:
            assert not self.matches(a), a
            self.add("wildcard-none", doc(stmt(a)), ["action"])

    def matches(self, action):
        prefix, pattern = action.split(":")
        return any(fnmatch.fnmatchcase(n.lower(), pattern.lower()) for n in self.names(prefix))

    def typo_keys(self):
        service = [
            ("kms:Decrypt", KEY, "StringEquals", "kms:ViaServce", "s3.us-east-1.amazonaws.com"),
            ("kms:Decrypt", KEY, "StringEquals", "kms:CallerAcount", "111122223333"),
            ("kms:Encrypt", KEY, "StringEquals", "kms:EncryptionContxt:dept", "x"),
            ("kms:CreateGrant", KEY, "Bool", "kms:GrantIsForAWSResourc", "true"),
            ("s3:ListBucket", BUCKET, "StringLike", "s3:prefx", "home/*"),
            ("s3:PutObject", OBJECTS, "StringEquals", "s3:x-amz-acll", "private"),
            ("s3:PutObject", OBJECTS, "StringEquals", "s3:x-amz-server-side-encrytion", "aws:kms"),
            ("iam:PassRole", ROLE, "StringEquals", "iam:PassedToServce", "ec2.amazonaws.com"),
            ("iam:CreateRole", ROLE, "StringEquals", "iam:PermissionBoundary", "arn:aws:iam::111122223333:policy/b"),
            ("sts:AssumeRole", ROLE, "StringEquals", "sts:ExternalIdd", "x"),
            ("sts:AssumeRole", ROLE, "StringEquals", "sts:RoleSesionName", "x"),
            ("ec2:RunInstances", "*", "StringEquals", "ec2:InstanceTyp", "t3.micro"),
            ("ec2:StartInstances", "*", "StringEquals", "ec2:Regoin", "us-east-1"),
            ("lambda:CreateFunction", "*", "StringEquals", "lambda:Layr", "x"),
            ("dynamodb:GetItem", "*", "ForAllValues:StringEquals", "dynamodb:LeadingKey", "x"),
        ]
        for action, res, op, key, val in service:
            self.add("typo-key-service", doc(stmt(action, res, {op: {key: val}})), ["condkey"],
                     note=key)
        glob = [
            ("Bool", "aws:SecureTransports", "true"),
            ("StringEquals", "aws:RequestedRegions", "us-east-1"),
            ("Bool", "aws:MultiFactorAuthPresnt", "true"),
            ("StringEquals", "aws:PrincipalOrgIDs", "o-123"),
            ("IpAddress", "aws:SourceIps", "10.0.0.0/8"),
            ("StringEquals", "aws:SourceVpcc", "vpc-1"),
            ("StringEquals", "aws:PrincipalTags/team", "x"),
            ("StringEquals", "aws:ResorceTag/team", "x"),
            ("DateLessThan", "aws:CurrentTme", "2030-01-01T00:00:00Z"),
            ("StringEquals", "aws:username2", "alice"),
            ("StringEquals", "aws:CalledViaFrist", "x"),
            ("StringEquals", "aws:SourceAcount", "111122223333"),
        ]
        for op, key, val in glob:
            self.add("typo-key-global", doc(stmt("s3:GetObject", OBJECTS, {op: {key: val}})),
                     ["condkey"], note=key)
        # Case differences are not typos: AWS matches keys ignoring case.
        for op, key, val in [("IpAddress", "aws:sourceip", "10.0.0.0/8"),
                             ("StringEquals", "AWS:PrincipalOrgId", "o-1"),
                             ("StringEquals", "kms:viaservice", "s3.us-east-1.amazonaws.com")]:
            action = "kms:Decrypt" if key.startswith("kms") else "s3:GetObject"
            res = KEY if key.startswith("kms") else OBJECTS
            self.add("key-case", doc(stmt(action, res, {op: {key: val}})))

    def templated_keys(self):
        for action, res, key in [
            ("kms:Decrypt", KEY, "kms:EncryptionContext:dept"),
            ("kms:GenerateDataKey", KEY, "kms:EncryptionContext:aws:s3:arn"),
            ("kms:Decrypt", KEY, "aws:ResourceTag/project"),
            ("s3:GetObject", OBJECTS, "aws:PrincipalTag/team"),
            ("s3:GetObject", OBJECTS, "s3:ExistingObjectTag/class"),
            ("s3:PutObject", OBJECTS, "s3:RequestObjectTag/class"),
            ("iam:TagRole", ROLE, "aws:RequestTag/owner"),
            ("iam:CreateRole", ROLE, "aws:RequestTag/owner"),
            ("ec2:StartInstances", "*", "aws:ResourceTag/env"),
            ("ec2:StartInstances", "*", "ec2:ResourceTag/env"),
            ("ec2:CreateTags", "*", "aws:RequestTag/env"),
            ("lambda:InvokeFunction", "*", "aws:ResourceTag/app"),
            ("sts:AssumeRole", ROLE, "aws:PrincipalTag/dept"),
            ("sts:TagSession", ROLE, "aws:RequestTag/dept"),
            ("iam:PassRole", ROLE, "iam:ResourceTag/team"),
            ("dynamodb:GetItem", "*", "aws:ResourceTag/app"),
            ("sqs:SendMessage", "*", "aws:ResourceTag/app"),
        ]:
            self.add("templated-key", doc(stmt(action, res, {"StringEquals": {key: "x"}})),
                     note=key)

    def not_applicable(self):
        for action, res, key, val in [
            ("s3:GetObject", OBJECTS, "kms:ViaService", "s3.us-east-1.amazonaws.com"),
            ("s3:GetObject", OBJECTS, "s3:prefix", "home/"),
            ("s3:GetObject", OBJECTS, "s3:x-amz-acl", "private"),
            ("iam:CreateUser", USER, "iam:PassedToService", "ec2.amazonaws.com"),
            ("kms:Decrypt", KEY, "sts:ExternalId", "x"),
            ("kms:CreateKey", "*", "kms:EncryptionContext:dept", "x"),
            ("kms:ListAliases", "*", "kms:ViaService", "s3.us-east-1.amazonaws.com"),
            ("s3:ListBucket", BUCKET, "s3:ExistingObjectTag/x", "y"),
            ("sts:GetCallerIdentity", "*", "sts:ExternalId", "x"),
            ("s3:GetObject", OBJECTS, "ec2:Region", "us-east-1"),
            ("s3:GetObject", OBJECTS, "iam:PassedToService", "x"),
            ("kms:Encrypt", KEY, "s3:x-amz-server-side-encryption", "aws:kms"),
            ("sts:AssumeRole", ROLE, "kms:CallerAccount", "111122223333"),
            ("kms:Decrypt", KEY, "kms:GrantIsForAWSResource", "true"),
            ("s3:DeleteObject", OBJECTS, "s3:max-keys", "10"),
            ("sts:AssumeRole", ROLE, "sts:DurationSeconds", "3600"),
        ]:
            op = "Bool" if key.endswith("Resource") else "StringEquals"
            if key in ("s3:max-keys", "sts:DurationSeconds"):
                op = "NumericLessThan"
            self.add("not-applicable", doc(stmt(action, res, {op: {key: val}})), ["condkey"],
                     note=key)
        # One action of the statement supports the key: no finding (our contract).
        for actions, res, key in [
            (["kms:Decrypt", "s3:GetObject"], ["*"], "kms:ViaService"),
            (["s3:GetObject", "s3:ListBucket"], [BUCKET, OBJECTS], "s3:prefix"),
            (["kms:*"], ["*"], "kms:ViaService"),
            (["s3:Get*"], [OBJECTS], "s3:ExistingObjectTag/x"),
            (["iam:PassRole", "iam:GetRole"], [ROLE], "iam:PassedToService"),
        ]:
            self.add("applicable-mixed", doc(stmt(actions, res, {"StringEquals": {key: "x"}})),
                     note=key)

    def operator_types(self):
        bad = [
            ("NumericLessThan", "kms:CallerAccount", "1", "kms:Decrypt", KEY),
            ("DateGreaterThan", "aws:SourceIp", "2020-01-01T00:00:00Z", "s3:GetObject", OBJECTS),
            ("IpAddress", "aws:SourceVpce", "10.0.0.0/8", "s3:GetObject", OBJECTS),
            ("Bool", "aws:PrincipalArn", "true", "s3:GetObject", OBJECTS),
            ("ArnLike", "kms:CallerAccount", "arn:aws:iam::1:root", "kms:Decrypt", KEY),
            ("NumericEquals", "s3:prefix", "1", "s3:ListBucket", BUCKET),
            ("DateLessThan", "s3:x-amz-acl", "2020-01-01T00:00:00Z", "s3:PutObject", OBJECTS),
            ("Bool", "kms:ViaService", "true", "kms:Decrypt", KEY),
            ("NumericGreaterThan", "aws:PrincipalOrgID", "1", "s3:GetObject", OBJECTS),
            ("IpAddress", "aws:PrincipalAccount", "10.0.0.0/8", "s3:GetObject", OBJECTS),
            ("ArnEquals", "aws:SourceAccount", "arn:aws:iam::1:root", "s3:GetObject", OBJECTS),
            ("DateEquals", "iam:PassedToService", "2020-01-01T00:00:00Z", "iam:PassRole", ROLE),
            ("NumericLessThan", "sts:ExternalId", "5", "sts:AssumeRole", ROLE),
            ("Bool", "s3:x-amz-server-side-encryption", "true", "s3:PutObject", OBJECTS),
            ("ForAnyValue:NumericLessThan", "aws:TagKeys", "3", "iam:TagRole", ROLE),
            ("NumericLessThanIfExists", "aws:userid", "3", "s3:GetObject", OBJECTS),
            ("BoolIfExists", "aws:SourceVpc", "true", "s3:GetObject", OBJECTS),
            ("DateGreaterThan", "kms:EncryptionContext:dept", "2020-01-01T00:00:00Z", "kms:Decrypt", KEY),
            ("IpAddress", "aws:SourceArn", "10.0.0.0/8", "s3:GetObject", OBJECTS),
            ("ArnLike", "aws:MultiFactorAuthAge", "arn:aws:iam::1:root", "s3:GetObject", OBJECTS),
        ]
        for op, key, val, action, res in bad:
            self.add("optype-bad", doc(stmt(action, res, {op: {key: val}})), ["optype"],
                     note=f"{op} {key}")
        ok = [
            ("NumericLessThan", "s3:max-keys", "10", "s3:ListBucket", BUCKET),
            ("DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", "s3:GetObject", OBJECTS),
            ("IpAddress", "aws:SourceIp", "10.0.0.0/8", "s3:GetObject", OBJECTS),
            ("Bool", "aws:SecureTransport", "true", "s3:GetObject", OBJECTS),
            ("ArnEquals", "aws:SourceArn", "arn:aws:sns:us-east-1:1:t", "s3:GetObject", OBJECTS),
            ("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/app", "kms:Decrypt", KEY),
            ("NumericLessThan", "aws:MultiFactorAuthAge", "3600", "s3:GetObject", OBJECTS),
            ("NumericLessThanEquals", "sts:DurationSeconds", "3600", "sts:GetServiceBearerToken", "*"),
            ("NumericLessThan", "aws:EpochTime", "1900000000", "s3:GetObject", OBJECTS),
            ("DateLessThan", "aws:TokenIssueTime", "2030-01-01T00:00:00Z", "s3:GetObject", OBJECTS),
            ("StringEquals", "aws:PrincipalArn", "arn:aws:iam::1:role/app", "s3:GetObject", OBJECTS),
            ("StringLike", "kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::reports/*", "kms:Decrypt", KEY),
            ("ArnLike", "iam:PermissionsBoundary", "arn:aws:iam::1:policy/b", "iam:CreateRole", ROLE),
            ("Bool", "kms:GrantIsForAWSResource", "true", "kms:CreateGrant", KEY),
            ("NumericGreaterThanEquals", "s3:signatureAge", "1000", "s3:GetObject", OBJECTS),
            ("BoolIfExists", "aws:MultiFactorAuthPresent", "false", "s3:GetObject", OBJECTS),
            ("IpAddress", "aws:VpcSourceIp", "10.0.0.0/8", "s3:GetObject", OBJECTS),
        ]
        for op, key, val, action, res in ok:
            self.add("optype-ok", doc(stmt(action, res, {op: {key: val}})), note=f"{op} {key}")
        # The operator fits the key, the value does not fit the operator.
        for op, key, val, action, res in [
            ("Bool", "aws:SecureTransport", "yes", "s3:GetObject", OBJECTS),
            ("DateGreaterThan", "aws:CurrentTime", "tomorrow", "s3:GetObject", OBJECTS),
            ("IpAddress", "aws:SourceIp", "not-an-ip", "s3:GetObject", OBJECTS),
            ("NumericLessThan", "aws:MultiFactorAuthAge", "one hour", "s3:GetObject", OBJECTS),
            ("NumericLessThan", "s3:max-keys", "ten", "s3:ListBucket", BUCKET),
            ("Bool", "kms:GrantIsForAWSResource", "maybe", "kms:CreateGrant", KEY),
        ]:
            self.add("value-format", doc(stmt(action, res, {op: {key: val}})), ["value"],
                     note=f"{op} {key} {val!r}")

    def resources(self):
        bad = [
            ("s3:GetObject", BUCKET), ("s3:PutObject", BUCKET), ("s3:ListBucket", OBJECTS),
            ("s3:DeleteBucket", OBJECTS), ("kms:Decrypt", ALIAS), ("kms:Encrypt", "alias/finance"),
            ("kms:CreateKey", KEY), ("kms:ListAliases", KEY), ("kms:GenerateRandom", KEY),
            ("kms:Decrypt", OBJECTS), ("iam:CreateUser", ROLE), ("iam:PassRole", USER),
            ("sts:AssumeRole", USER), ("s3:GetObject", KEY), ("iam:GetRole", BUCKET),
            ("s3:ListAllMyBuckets", BUCKET), ("kms:ListKeys", KEY), ("sts:GetCallerIdentity", ROLE),
            ("iam:CreatePolicy", ROLE), ("s3:CreateBucket", OBJECTS),
        ]
        for action, res in bad:
            self.add("resource-bad", doc(stmt(action, res)), ["resource"], note=f"{action} on {res}")
        self.add("resource-partial", doc(stmt(["s3:GetObject", "s3:ListBucket"], OBJECTS)), ["resource"])
        self.add("resource-partial", doc(stmt(["kms:Decrypt", "kms:CreateKey"], KEY)), ["resource"])
        ok = [
            ("s3:GetObject", OBJECTS), ("s3:ListBucket", BUCKET), ("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"),
            (["s3:GetObject", "s3:ListBucket"], [BUCKET, OBJECTS]), ("s3:*Object", OBJECTS),
            ("kms:Decrypt", "arn:aws:kms:*:111122223333:key/*"), ("kms:CreateKey", "*"),
            ("kms:*", KEY), ("kms:CreateAlias", [ALIAS, KEY]), ("iam:PassRole", ROLE),
            ("sts:AssumeRole", "arn:aws:iam::444455556666:role/path/etl"), ("iam:CreateUser", USER),
            ("s3:GetObject", "arn:aws:s3:::reports*"), ("iam:GetUser", "arn:aws:iam::*:user/${aws:username}"),
            ("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/*"),
        ]
        for action, res in ok:
            self.add("resource-ok", doc(stmt(action, res)), note=f"{action} on {res}")
        # Other services, by the resource types of the catalog.
        for action, res in [("ec2:StartInstances", BUCKET), ("lambda:InvokeFunction", BUCKET),
                            ("dynamodb:GetItem", OBJECTS), ("sqs:SendMessage", KEY),
                            ("ec2:DescribeInstances", "arn:aws:ec2:us-east-1:111122223333:instance/*"),
                            ("ec2:StartInstances", "arn:aws:ec2:us-east-1:111122223333:volume/*"),
                            ("sns:Publish", "arn:aws:sqs:us-east-1:111122223333:queue1"),
                            ("logs:PutLogEvents", OBJECTS)]:
            self.add("resource-other-service", doc(stmt(action, res)), ["resource"], note=f"{action} on {res}")
        # Other services' resources as AWS's documentation writes them.
        acct = "us-east-1:111122223333"
        for action, res in [
            ("logs:PutLogEvents", f"arn:aws:logs:{acct}:log-group:/aws/lambda/app:*"),
            ("logs:CreateLogStream", "arn:aws:logs:*:*:log-group:/aws/lambda/*:log-stream:*"),
            ("lambda:InvokeFunction", f"arn:aws:lambda:{acct}:function:app:prod"),
            ("dynamodb:Query", f"arn:aws:dynamodb:{acct}:table/Books/index/*"),
            ("dynamodb:PutItem", "arn:aws:dynamodb:*:*:table/${aws:username}-*"),
            ("ec2:RunInstances", ["arn:aws:ec2:us-east-1::image/ami-*", "arn:aws:ec2:*:*:instance/*",
                                  "arn:aws:ec2:*:*:network-interface/*", "arn:aws:ec2:*:*:volume/*"]),
            ("secretsmanager:GetSecretValue", f"arn:aws:secretsmanager:{acct}:secret:prod/db-*"),
            ("ssm:GetParameter", f"arn:aws:ssm:{acct}:parameter/app/prod/*"),
            ("states:DescribeExecution", f"arn:aws:states:{acct}:execution:flow:*"),
            ("execute-api:Invoke", f"arn:aws:execute-api:{acct}:abc123/prod/GET/pets/*"),
            ("batch:SubmitJob", [f"arn:aws:batch:{acct}:job-definition/etl:*", f"arn:aws:batch:{acct}:job-queue/q"]),
            ("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/Z123"),
            ("ecs:RunTask", f"arn:aws:ecs:{acct}:task-definition/web:*"),
            ("glue:GetTable", [f"arn:aws:glue:{acct}:catalog", f"arn:aws:glue:{acct}:database/db", f"arn:aws:glue:{acct}:table/db/t"]),
            ("iot:Publish", f"arn:aws:iot:{acct}:topic/sensors/*"),
            ("rds-db:connect", f"arn:aws:rds-db:{acct}:dbuser:db-ABCDEFGHIJKL01234/app_user"),
        ]:
            self.add("resource-other-ok", doc(stmt(action, res)), note=f"{action} on {res}")

    def not_elements(self):
        self.add("not-action", doc(stmt(None, "*", effect="Deny", NotAction=["iam:*", "sts:*"])))
        self.add("not-action", doc(stmt(None, "*", effect="Deny", NotAction=["kms:Decrpyt"])), ["action"])
        self.add("not-action", doc(stmt(None, "*", effect="Deny", NotAction=["kmss:Decrypt"])), ["service"])
        self.add("not-action", doc(stmt(None, OBJECTS, NotAction="s3:Delete*")))
        self.add("not-action", doc(stmt(None, "*", {"StringEquals": {"kms:ViaService": "x"}},
                                        effect="Deny", NotAction="kms:Decrypt")))
        self.add("not-action", doc(stmt(None, "*", {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
                                        effect="Deny", NotAction=["iam:*", "sts:GetSessionToken"])))
        self.add("not-resource", doc(stmt("s3:GetObject", None, NotResource=BUCKET)))
        self.add("not-resource", doc(stmt("s3:*", None, effect="Deny", NotResource=[BUCKET, OBJECTS])))
        self.add("not-resource", doc(stmt("kms:Decrypt", None, effect="Deny", NotResource=KEY)))
        self.add("not-resource", doc(stmt("kms:CreateKey", None, NotResource=KEY)))
        self.add("not-resource", doc(stmt("s3:GetObjectt", None, NotResource=BUCKET)), ["action"])
        self.add("not-both", doc(stmt(None, None, effect="Deny", NotAction="s3:*", NotResource=OBJECTS)))

    def resource_policies(self):
        admin = stmt("kms:*", "*", sid="Admin", Principal={"AWS": "arn:aws:iam::111122223333:root"})
        use = lambda action, cond=None, res="*": stmt(action, res, cond, sid="Use",
                                                      Principal={"AWS": ROLE})
        self.add("key-policy", doc(admin), kind="key")
        self.add("key-policy", doc(admin, use(["kms:Decrypt", "kms:GenerateDataKey*"])), kind="key")
        self.add("key-policy", doc(admin, use("kms:Decrypt", {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}})), kind="key")
        self.add("key-policy", doc(admin, use("kms:Decrpyt")), ["action"], kind="key")
        self.add("key-policy", doc(admin, use("kms:Decrypt", {"StringEquals": {"kms:ViaServce": "x"}})), ["condkey"], kind="key")
        self.add("key-policy", doc(admin, use("kms:Decrypt", {"StringEquals": {"kms:EncryptionContext:dept": "finance"}})), kind="key")
        self.add("key-policy", doc(admin, use("kms:CreateGrant", {"Bool": {"kms:GrantIsForAWSResource": "true"}})), kind="key")
        self.add("key-policy", doc(admin, use("kms:Decrypt", {"NumericEquals": {"kms:CallerAccount": "111122223333"}})), ["optype"], kind="key")
        self.add("key-policy", doc(admin, use("kms:Decrypt", {"StringEquals": {"s3:prefix": "x"}})), ["condkey"], kind="key")
        self.add("key-policy", doc(admin, stmt(["kms:Encrypt", "kms:Decrypt"], "*", sid="Svc",
                                           Principal={"Service": "logs.us-east-1.amazonaws.com"},
                                           condition={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:*"}})), kind="key")
        tls = stmt("s3:*", [BUCKET, OBJECTS], {"Bool": {"aws:SecureTransport": "false"}}, effect="Deny",
                   sid="TLS", Principal="*")
        read = stmt("s3:GetObject", OBJECTS, sid="Read", Principal={"AWS": ROLE})
        self.add("bucket-policy", doc(tls), kind="bucket")
        self.add("bucket-policy", doc(tls, read), kind="bucket")
        self.add("bucket-policy", doc(tls, stmt("s3:GetObject", BUCKET, sid="Read", Principal={"AWS": ROLE})), ["resource"], kind="bucket")
        self.add("bucket-policy", doc(tls, stmt("s3:ListBucket", BUCKET, {"StringLike": {"s3:prefix": "home/*"}}, sid="List", Principal={"AWS": ROLE})), kind="bucket")
        self.add("bucket-policy", doc(tls, stmt("s3:PutObject", OBJECTS, {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}, effect="Deny", sid="Enc", Principal="*")), kind="bucket")
        self.add("bucket-policy", doc(stmt("s3:GetObject", OBJECTS, {"StringEquals": {"aws:SourceVpce": "vpce-1"}}, sid="Vpce", Principal="*")), kind="bucket")
        self.add("bucket-policy", doc(tls, stmt("s3:PutObject", OBJECTS, {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t", "s3:x-amz-acl": "bucket-owner-full-control"}}, sid="Trail", Principal={"Service": "cloudtrail.amazonaws.com"})), kind="bucket")
        self.add("bucket-policy", doc(tls, stmt("s3:Get0bject", OBJECTS, sid="Read", Principal={"AWS": ROLE})), ["action"], kind="bucket")

    def clean(self):
        P = [
            doc(stmt(["s3:GetObject", "s3:ListBucket"], [BUCKET, OBJECTS], sid="ReadReports")),
            doc(stmt(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"], KEY,
                     {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}})),
            doc(stmt("sts:AssumeRole", "arn:aws:iam::444455556666:role/deploy")),
            doc(stmt(["ec2:DescribeInstances", "ec2:DescribeVolumes"], "*")),
            doc(stmt("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111122223333:function:f")),
            doc(stmt(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
                     "arn:aws:dynamodb:us-east-1:111122223333:table/orders")),
            doc(stmt(["logs:CreateLogStream", "logs:PutLogEvents"],
                     "arn:aws:logs:us-east-1:111122223333:log-group:/app:*")),
            doc(stmt("iam:PassRole", ROLE, {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}})),
            doc(stmt(["iam:GetUser", "iam:ChangePassword"], "arn:aws:iam::*:user/${aws:username}")),
            doc(stmt("*", "*", {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}, effect="Deny")),
            doc(stmt(["sqs:SendMessage", "sqs:ReceiveMessage"], "arn:aws:sqs:us-east-1:111122223333:q")),
            doc(stmt("sns:Publish", "arn:aws:sns:us-east-1:111122223333:alerts")),
            doc(stmt("s3:ListBucket", BUCKET, {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}),
                stmt(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::reports/home/${aws:username}/*")),
            doc(stmt("*", "*", {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}, effect="Deny")),
            doc(stmt("ec2:TerminateInstances", "*", {"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}})),
            doc(stmt("kms:CreateGrant", KEY, {"Bool": {"kms:GrantIsForAWSResource": "true"}})),
            doc(stmt(["secretsmanager:GetSecretValue"], "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-*")),
            doc(stmt(["ssm:GetParameter", "ssm:GetParameters"], "arn:aws:ssm:us-east-1:111122223333:parameter/app/*")),
            doc(stmt("s3:PutObject", OBJECTS, {"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}})),
            doc(stmt("sts:AssumeRole", ROLE, {"StringEquals": {"sts:ExternalId": "abc"}})),
            doc(stmt(["cloudwatch:PutMetricData"], "*", {"StringEquals": {"cloudwatch:namespace": "App"}})),
            doc(stmt(["ecr:GetAuthorizationToken"], "*"), stmt(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "arn:aws:ecr:us-east-1:111122223333:repository/app")),
        ]
        for p in P:
            self.add("clean", p)

    def valid_actions(self):
        """Real actions of many services: nothing to say about the names."""
        prefixes = sorted(p for p, s in self.c.items() if p != "aws" and s["names"])
        for prefix in self.rng.sample(prefixes, 30):
            action = self.rng.choice(sorted(self.names(prefix)))
            self.add("valid-action", doc(stmt(f"{prefix}:{action}")))

    def catalog_edges(self):
        """Names one tool's catalog has and the other's lacks."""
        if not self.p:
            return
        ours_only, theirs_only = [], []
        for prefix, s in sorted(self.c.items()):
            if prefix == "aws" or prefix not in self.p:
                continue
            ours_only += [f"{prefix}:{n}" for n in s["names"] if n.lower() not in self.p[prefix]]
            theirs_only += [f"{prefix}:{n}" for n in sorted(self.p[prefix]) if n not in s["actions"]]
        for a in self.rng.sample(sorted(ours_only), min(20, len(ours_only))):
            self.add("newer-action", doc(stmt(a)), note="in keyshake's catalog, not in parliament's")
        for a in self.rng.sample(sorted(theirs_only), min(15, len(theirs_only))):
            self.add("older-action", doc(stmt(a)), ["action"], note="in parliament's catalog, not in keyshake's")
        for prefix in sorted(p for p in self.p if p not in self.c and self.p[p]):
            a = sorted(self.p[prefix])[0]
            self.add("older-service", doc(stmt(f"{prefix}:{a}")), ["service"],
                     note="service in parliament's catalog, not in keyshake's")
        services = sorted(p for p, s in self.c.items() if p != "aws" and s["names"] and p not in self.p)
        for prefix in self.rng.sample(services, min(8, len(services))):
            a = sorted(self.names(prefix))[0]
            self.add("newer-service", doc(stmt(f"{prefix}:{a}")), note="service parliament lacks")

    def cross_service_keys(self):
        """Keys one service's page defines for another's prefix, keys an
        action takes from another service, and tag keys whose placeholder
        the reference writes out or leaves empty."""
        for action, key in [
            ("ec2-instance-connect:SendSSHPublicKey", "ec2:osuser"),
            ("sts:AssumeRole", "iam:ResourceTag/team"),
            ("codestar:CreateUserProfile", "iam:ResourceTag/team"),
            ("xray:PutTraceSegments", "logs:LogGeneratingResourceArns"),
            ("iotjobsdata:DescribeJobExecution", "iot:JobId"),
            ("cases:CreateCase", "connect:UserArn"),
            ("arc-zonal-shift:StartZonalShift", "elasticloadbalancing:ResourceTag/app"),
            ("secretsmanager:GetSecretValue", "secretsmanager:ResourceTag/team"),
            ("glacier:DeleteArchive", "glacier:ResourceTag/LegalHold"),
            ("elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ResourceTag/app"),
            ("sagemaker:CreateEndpoint", "sagemaker:ResourceTag/app"),
            ("ssm:StartSession", "ssm:resourceTag/app"),
            ("rds:DeleteDBInstance", "rds:db-tag/env"),
            ("autoscaling:UpdateAutoScalingGroup", "autoscaling:ResourceTag/env"),
        ]:
            op = "ArnLike" if key.endswith("Arn") or key.endswith("Arns") else "StringEquals"
            if key.endswith("Arns"):
                op = "ForAnyValue:ArnLike"
            val = "arn:aws:logs:*:*:*" if op != "StringEquals" else "x"
            self.add("cross-service-key", doc(stmt(action, "*", {op: {key: val}})), note=key)
        # The same keys on actions that do not take them.
        for action, key in [("s3:GetObject", "ec2:osuser"), ("kms:Decrypt", "iam:ResourceTag/team"),
                            ("ec2:StartInstances", "logs:LogGeneratingResourceArns"),
                            ("codestar:AssociateTeamMember", "iam:ResourceTag/team"),
                            ("cases:GetCase", "connect:UserArn")]:
            self.add("cross-service-key-na", doc(stmt(action, "*", {"StringEquals": {key: "x"}})),
                     ["condkey"], note=key)

    def catalog_keys(self):
        """Keys of kms, s3, iam and sts and of six other services, each on
        an action keyshake's catalog says takes it (with an operator of the
        key's type), and on one of the same service that does not."""
        ops = {"Numeric": "NumericLessThan", "Date": "DateLessThan", "Bool": "Bool",
               "ARN": "ArnLike", "IPAddress": "IpAddress"}
        vals = {"NumericLessThan": "10", "DateLessThan": "2030-01-01T00:00:00Z", "Bool": "true",
                "ArnLike": "arn:aws:iam::111122223333:*", "IpAddress": "10.0.0.0/8"}
        for prefix in ["kms", "s3", "iam", "sts", "ec2", "lambda", "dynamodb", "secretsmanager",
                       "sqs", "logs"]:
            keys = sorted(k for k in self.c[prefix]["keys"] if k.startswith(prefix + ":")
                          and not re.search(r"PCR[1-9][0-9]*$", k))
            takes = self.c[prefix]["takes"]
            for key in self.rng.sample(keys, min(12, len(keys))):
                ty = self.c[prefix]["keys"][key].split("|")[0].replace("ArrayOf", "")
                op = ops.get(ty, "StringEquals")
                if key.startswith(prefix + ":") and self.c[prefix]["keys"][key].startswith("ArrayOf"):
                    op = "ForAnyValue:" + op
                concrete = key.replace("*", "x")
                yes = sorted(a for a, ks in takes.items() if key.lower() in ks)
                no = sorted(a for a, ks in takes.items() if key.lower() not in ks)
                val = vals.get(op.split(":")[-1], "x")
                if yes:
                    a = self.rng.choice(yes)
                    self.add("catalog-key", doc(stmt(f"{prefix}:{a}", "*", {op: {concrete: val}})),
                             note=f"{key} on {a}")
                # A key no action lists is not judged (which actions take it
                # is not known).
                if no and key.lower() in self.listed:
                    a = self.rng.choice(no)
                    self.add("catalog-key-na", doc(stmt(f"{prefix}:{a}", "*", {op: {concrete: val}})),
                             ["condkey"], note=f"{key} on {a}")

    def multi(self):
        """Two to four statements drawn from the single-statement cases."""
        singles = [c for c in self.cases if c["kind"] == "identity"
                   and len(c["policy"]["Statement"]) == 1]
        for _ in range(30):
            picks = self.rng.sample(singles, self.rng.randint(2, 4))
            statements = []
            for i, c in enumerate(picks):
                s = dict(c["policy"]["Statement"][0])
                s["Sid"] = f"S{i + 1}"
                statements = statements + [s]
            expect = set().union(*(c["expect"] for c in picks))
            # A value AWS rejects makes the file invalid: keyshake reports
            # that (file:line:column) instead of linting the rest.
            if "value" in expect:
                expect = {"value"}
            self.add("multi", doc(*statements), sorted(expect),
                     note=" + ".join(c["name"] for c in picks))


def write(cases, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()
    manifest = {}
    for c in cases:
        (out / f"{c['name']}.json").write_text(json.dumps(c["policy"], indent=2) + "\n")
        manifest[c["name"]] = {k: c[k] for k in ("family", "kind", "expect", "note")}
    (out / "manifest.json.txt").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def families(manifest):
    seen = {}
    for m in manifest.values():
        seen[m["family"]] = seen.get(m["family"], 0) + 1
    return seen


if __name__ == "__main__":
    import sys
    repo = Path(__file__).resolve().parents[2]
    cat = load_catalog(repo / "data" / "aws-catalog.txt")
    cases = Corpus(cat, {}).build()
    print(len(cases), re.sub(r"\s+", " ", json.dumps(families(write(cases, sys.argv[1])))))
