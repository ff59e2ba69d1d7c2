//! Neutral names for generated worlds: accounts, roles, buckets, keys.
//! None of them hints at the answer (no "missing", "wrong", "trap").

use super::rng::Rng;

const ACCOUNT_NAMES: [&str; 12] = [
    "Ledger",
    "Analytics",
    "Platform",
    "Research",
    "Payments",
    "Media",
    "Logistics",
    "Retail",
    "Clinical",
    "Telemetry",
    "Archive",
    "Studio",
];

const ROLES: [&str; 14] = [
    "app-backend",
    "nightly-batch",
    "report-builder",
    "etl-worker",
    "billing-sync",
    "ingest",
    "analytics-job",
    "web-frontend",
    "export-task",
    "ledger-sync",
    "model-trainer",
    "dashboards",
    "invoice-run",
    "search-indexer",
];

const BUCKET_WORDS: [&str; 10] = [
    "orders",
    "invoices",
    "telemetry",
    "exports",
    "statements",
    "scans",
    "datasets",
    "claims",
    "shipments",
    "metrics",
];

const PREFIXES: [&str; 6] = ["2026", "daily", "shared", "q3", "batch", "inbound"];

const FILES: [&str; 6] = [
    "summary.csv",
    "part-0001.parquet",
    "totals.json",
    "records.csv",
    "extract.gz",
    "index.json",
];

const ALIASES: [&str; 8] = [
    "alias/shared-data",
    "alias/exports",
    "alias/partner",
    "alias/records",
    "alias/main",
    "alias/reports",
    "alias/archive",
    "alias/pipeline",
];

const REGIONS: [&str; 5] = [
    "us-east-1",
    "eu-west-1",
    "us-west-2",
    "ap-southeast-2",
    "eu-central-1",
];

/// One account's id and display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acct {
    /// Twelve digits.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// Every name a drill world uses.
#[derive(Debug, Clone)]
pub struct Names {
    /// The resource owner.
    pub a: Acct,
    /// The caller's account.
    pub b: Acct,
    /// A third account (outsiders, decoys).
    pub c: Acct,
    /// The region of the key and bucket.
    pub region: String,
    /// Another region.
    pub other_region: String,
    /// Key ids: the main key, a second key, an AWS managed key.
    pub key_ids: [String; 3],
    /// The main key's alias.
    pub alias: String,
    /// The bucket.
    pub bucket: String,
    /// Object prefix (without the slash).
    pub prefix: String,
    /// Object name after the prefix.
    pub file: String,
    /// The caller's role name.
    pub caller: String,
    /// Another role in the caller's account.
    pub bystander: String,
    /// A role in the third account.
    pub outsider: String,
    /// An administrator role in the owner's account.
    pub admin: String,
    /// A session name for assumed-role callers.
    pub session: String,
    /// The organization id of the owner.
    pub org: String,
    /// Another organization's id.
    pub other_org: String,
}

impl Names {
    /// Draws a fresh set of names.
    pub fn draw(rng: &mut Rng) -> Names {
        let mut ids: Vec<String> = Vec::with_capacity(3);
        while ids.len() < 3 {
            let id = format!("{}", 100_000_000_000 + rng.next_u64() % 900_000_000_000);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let mut accounts: Vec<&str> = ACCOUNT_NAMES.to_vec();
        rng.shuffle(&mut accounts);
        let mut roles: Vec<&str> = ROLES.to_vec();
        rng.shuffle(&mut roles);
        let mut regions: Vec<&str> = REGIONS.to_vec();
        rng.shuffle(&mut regions);
        let key_ids = [uuid(rng), uuid(rng), uuid(rng)];
        let bucket = format!(
            "{}-{}",
            rng.pick(&BUCKET_WORDS),
            &ids[0][ids[0].len() - 4..]
        );
        Names {
            a: Acct {
                id: ids[0].clone(),
                name: accounts[0].to_string(),
            },
            b: Acct {
                id: ids[1].clone(),
                name: accounts[1].to_string(),
            },
            c: Acct {
                id: ids[2].clone(),
                name: accounts[2].to_string(),
            },
            region: regions[0].to_string(),
            other_region: regions[1].to_string(),
            key_ids,
            alias: rng.pick(&ALIASES).to_string(),
            bucket,
            prefix: rng.pick(&PREFIXES).to_string(),
            file: rng.pick(&FILES).to_string(),
            caller: roles[0].to_string(),
            bystander: roles[1].to_string(),
            outsider: roles[2].to_string(),
            admin: "key-admin".to_string(),
            session: format!("session-{}", rng.below(9000) + 1000),
            org: format!("o-{}", hex(rng, 10)),
            other_org: format!("o-{}", hex(rng, 10)),
        }
    }

    /// `arn:aws:kms:REGION:A:key/ID` of key `i`.
    pub fn key_arn(&self, i: usize) -> String {
        format!(
            "arn:aws:kms:{}:{}:key/{}",
            self.region, self.a.id, self.key_ids[i]
        )
    }

    /// A role ARN.
    pub fn role(&self, account: &Acct, name: &str) -> String {
        format!("arn:aws:iam::{}:role/{name}", account.id)
    }

    /// An account's root ARN.
    pub fn root(&self, account: &Acct) -> String {
        format!("arn:aws:iam::{}:root", account.id)
    }

    /// The object's ARN.
    pub fn object_arn(&self) -> String {
        format!("arn:aws:s3:::{}/{}/{}", self.bucket, self.prefix, self.file)
    }

    /// The objects under the prefix: `arn:aws:s3:::BUCKET/PREFIX/*`.
    pub fn prefix_arn(&self) -> String {
        format!("arn:aws:s3:::{}/{}/*", self.bucket, self.prefix)
    }

    /// The alias ARN of the main key.
    pub fn alias_arn(&self) -> String {
        format!("arn:aws:kms:{}:{}:{}", self.region, self.a.id, self.alias)
    }
}

fn hex(rng: &mut Rng, n: usize) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    (0..n).map(|_| char::from(DIGITS[rng.below(16)])).collect()
}

fn uuid(rng: &mut Rng) -> String {
    format!(
        "{}-{}-4{}-{}{}-{}",
        hex(rng, 8),
        hex(rng, 4),
        hex(rng, 3),
        char::from(b"89ab"[rng.below(4)]),
        hex(rng, 3),
        hex(rng, 12)
    )
}
