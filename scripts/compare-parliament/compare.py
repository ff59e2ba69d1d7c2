"""Runs `keyshake lint` and parliament on the generated corpus, maps both
tools' findings to the same categories and prints where they agree and
where they do not.

    python3 compare.py --keyshake target/release/keyshake \
        --parliament /tmp/parl-venv/bin/parliament --out /tmp/keyshake-parl
"""

import argparse
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

CATEGORIES = ["action", "service", "condkey", "optype", "value", "resource"]

OURS = {
    "unknown-action": "action",
    "unknown-service": "service",
    "unknown-condition-key": "condkey",
    "condition-key-not-applicable": "condkey",
    "condition-operator-type": "optype",
    "resource-mismatch": "resource",
    "alias-in-resource": "resource",
}

# Parliament's issue codes. MISMATCHED_TYPE_BUT_USABLE (a String operator
# on an ARN key) is not a mismatch by keyshake's contract: AWS documents
# String operators on ARN keys. It is reported under "other".
THEIRS = {
    "UNKNOWN_ACTION": "action",
    "UNKNOWN_PREFIX": "service",
    "UNKNOWN_CONDITION_FOR_ACTION": "condkey",
    "MISMATCHED_TYPE": "optype",
    "MISMATCHED_TYPE_OPERATION_TO_NULL": "optype",
    "RESOURCE_MISMATCH": "resource",
}


def run_ours(binary, out, manifest):
    found = {}
    for name, m in manifest.items():
        path = out / f"{name}.json"
        p = subprocess.run([binary, "lint", "--kind", m["kind"], str(path), "--json"],
                           capture_output=True, text=True)
        if p.returncode == 2:
            found[name] = [{"code": "INVALID", "line": 0, "column": 0,
                            "message": (p.stderr or p.stdout).strip()}]
            continue
        data = json.loads(p.stdout)
        found[name] = [f for file in data["files"] for f in file["findings"]]
    return found


def parliament(binary, paths):
    """Parliament's findings on `paths` (one process), or None when it
    fails: one policy it cannot read ends the whole run."""
    p = subprocess.run([binary, "--files", ",".join(str(x) for x in paths), "--json"],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if "Traceback" in p.stderr:
        return None
    return [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]


def run_theirs(binary, out, manifest, batch=60):
    # Batches of files per process (parliament loads its 10 MB catalog
    # once per process); a batch that crashes is run again file by file,
    # and a file that crashes parliament gets a CRASH finding.
    found = {name: [] for name in manifest}
    names = list(manifest)
    for i in range(0, len(names), batch):
        group = names[i:i + batch]
        results = parliament(binary, [out / f"{n}.json" for n in group])
        if results is None:
            results = []
            for n in group:
                one = parliament(binary, [out / f"{n}.json"])
                if one is None:
                    found[n].append({"issue": "CRASH", "detail": "parliament raised an exception",
                                     "location": {}})
                else:
                    results += one
        for f in results:
            name = Path((f.get("location") or {}).get("filepath", "")).stem
            if name in found:
                found[name].append(f)
            else:
                print("parliament finding without a file:", f, file=sys.stderr)
    return found


def category(f):
    """A finding's category, for either tool's findings (None: other).

    A condition value that does not fit its operator ("yes" for Bool) is
    category "value": keyshake rejects the file (exit 2, INVALID here),
    parliament reports MISMATCHED_TYPE with the values it was given."""
    if "code" in f:
        return "value" if f["code"] == "INVALID" and any(
            w in f["message"] for w in ("takes", "compares")) else OURS.get(f["code"])
    issue = f["issue"]
    if issue == "MISMATCHED_TYPE_OPERATION_TO_NULL" or (
            issue == "MISMATCHED_TYPE" and "but given [" in str(f.get("detail"))):
        return "value"
    return THEIRS.get(issue)


def cats(findings):
    return {c for c in map(category, findings) if c}


def show_ours(f):
    s = f" -> {f['suggestion']}" if f.get("suggestion") else ""
    return f"{f['code']}@{f['line']}:{f['column']} {f.get('message', '')[:110]}{s}"


def show_theirs(f):
    loc = f.get("location") or {}
    detail = f.get("detail")
    if not isinstance(detail, str):
        detail = json.dumps(detail)
    return f"{f['issue']}@{loc.get('line', '?')}:{loc.get('column', '?')} {detail[:140]}"


def compare(manifest, ours, theirs):
    table = {c: Counter() for c in CATEGORIES}
    vs_expect = {c: Counter() for c in CATEGORIES}
    disagreements = []
    for name, m in manifest.items():
        o = cats(ours[name])
        t = cats(theirs[name])
        e = set(m["expect"])
        differ = []
        for c in CATEGORIES:
            key = {(True, True): "both", (False, False): "neither",
                   (True, False): "keyshake only", (False, True): "parliament only"}[(c in o, c in t)]
            table[c][key] += 1
            vs_expect[c]["keyshake right"] += (c in o) == (c in e)
            vs_expect[c]["parliament right"] += (c in t) == (c in e)
            if (c in o) != (c in t):
                differ.append(f"{c}:{key}")
        if differ:
            disagreements.append((name, m, differ))
    return table, vs_expect, disagreements


def report(manifest, ours, theirs):
    table, vs_expect, disagreements = compare(manifest, ours, theirs)
    n = len(manifest)
    lines = [f"corpus: {n} files", "families: " + ", ".join(
        f"{k} {v}" for k, v in corpus.families(manifest).items()), ""]
    head = f"{'category':10} {'both':>6} {'neither':>8} {'ks only':>8} {'parl only':>10} {'agree':>7}   {'ks=expect':>10} {'parl=expect':>12}"
    lines += [head, "-" * len(head)]
    for c in CATEGORIES:
        t, e = table[c], vs_expect[c]
        agree = t["both"] + t["neither"]
        lines.append(f"{c:10} {t['both']:>6} {t['neither']:>8} {t['keyshake only']:>8} "
                     f"{t['parliament only']:>10} {agree / n:>7.1%}   "
                     f"{e['keyshake right']:>10} {e['parliament right']:>12}")
    files_agree = n - len(disagreements)
    lines += ["", f"files on which every category agrees: {files_agree} of {n} ({files_agree / n:.1%})"]
    by_family = defaultdict(Counter)
    for name, m, differ in disagreements:
        for d in differ:
            by_family[m["family"]][d] += 1
    lines += ["", "disagreements by family:"]
    for fam, cnt in sorted(by_family.items()):
        lines.append(f"  {fam:24} " + ", ".join(f"{k} {v}" for k, v in sorted(cnt.items())))
    other = Counter(f["issue"] for fs in theirs.values() for f in fs if not category(f))
    lines += ["", "parliament codes outside the compared categories: " +
              ", ".join(f"{k} {v}" for k, v in other.most_common())]
    other = Counter(f["code"] for fs in ours.values() for f in fs if not category(f))
    lines += ["keyshake codes outside the compared categories: " +
              ", ".join(f"{k} {v}" for k, v in other.most_common()), "", "disagreeing files:"]
    for name, m, differ in disagreements:
        lines.append(f"\n{name} [{m['kind']}] expect={m['expect']} {m['note']}  ({', '.join(differ)})")
        for f in ours[name]:
            lines.append("  keyshake:   " + show_ours(f))
        for f in theirs[name]:
            lines.append("  parliament: " + show_theirs(f))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--keyshake", required=True)
    ap.add_argument("--parliament", required=True)
    ap.add_argument("--out", default="/tmp/keyshake-parliament")
    ap.add_argument("--seed", type=int, default=corpus.SEED)
    args = ap.parse_args()
    repo = Path(__file__).resolve().parents[2]
    cat = corpus.load_catalog(repo / "data" / "aws-catalog.txt")
    defs = Path(subprocess.run(
        [str(Path(args.parliament).parent / "python"), "-c",
         "import parliament, os; print(os.path.dirname(parliament.__file__))"],
        capture_output=True, text=True).stdout.strip()) / "iam_definition.json"
    theirs_catalog = corpus.load_parliament_actions(defs)
    out = Path(args.out) / "corpus"
    manifest = corpus.write(corpus.Corpus(cat, theirs_catalog, args.seed).build(), out)
    ours = run_ours(args.keyshake, out, manifest)
    theirs = run_theirs(args.parliament, out, manifest)
    (Path(args.out) / "findings.json.txt").write_text(json.dumps(
        {"keyshake": ours, "parliament": theirs}, indent=1))
    text = report(manifest, ours, theirs)
    (Path(args.out) / "report.txt").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
