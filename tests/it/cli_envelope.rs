//! `keyshake envelope` as a user runs it: seal as the key's account, open as
//! the other account's role (denied, then allowed once both halves are in
//! place), with a temporary data folder for the teaching keyring.

use std::path::Path;
use std::process::Command;

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/4d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f";

fn scenario(dir: &Path, b_allowed: bool) -> std::path::PathBuf {
    let extra = if b_allowed {
        r#",{"Sid": "Reader in B", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/reader"}, "Action": "kms:Decrypt", "Resource": "*"}"#
    } else {
        ""
    };
    let text = format!(
        r#"[[keys]]
arn = "{KEY}"
policy = '''{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:root"}}, "Action": "kms:*", "Resource": "*"}}{extra}]}}'''

[[principals]]
arn = "arn:aws:iam::111122223333:role/writer"
policies = ['''{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": "{KEY}"}}]}}''']

[[principals]]
arn = "arn:aws:iam::444455556666:role/reader"
policies = ['''{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "{KEY}"}}]}}''']

[[requests]]
principal = "arn:aws:iam::111122223333:role/writer"
action = "kms:GenerateDataKey"
resource = "{KEY}"
"#
    );
    let path = dir.join(if b_allowed {
        "shared.toml"
    } else {
        "private.toml"
    });
    std::fs::write(&path, text).expect("write scenario");
    path
}

fn keyshake(data: &Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .env("KEYSHAKE_DATA_DIR", data)
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn seal_as_a_then_open_as_b_only_with_both_halves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let plain = dir.path().join("report.csv");
    let sealed = dir.path().join("report.ksenv");
    let opened = dir.path().join("opened.csv");
    let content: Vec<u8> = (0..20_000u32).map(|i| (i % 200) as u8).collect();
    std::fs::write(&plain, &content).expect("write input");
    let private = scenario(dir.path(), false);
    let shared = scenario(dir.path(), true);
    let os = |s: &str| std::ffi::OsString::from(s);

    let out = keyshake(
        &data,
        &[
            &os("envelope"),
            &os("--scenario"),
            private.as_os_str(),
            &os("encrypt"),
            &os("--key"),
            &os(KEY),
            &os("--as"),
            &os("arn:aws:iam::111122223333:role/writer"),
            &os("--context"),
            &os("dept=finance"),
            plain.as_os_str(),
            sealed.as_os_str(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("sealed"));
    assert!(
        data.join("keyring.json").exists(),
        "the teaching keyring is kept in the data folder"
    );

    let open_as_b = |scenario: &Path| {
        keyshake(
            &data,
            &[
                &os("envelope"),
                &os("--scenario"),
                scenario.as_os_str(),
                &os("decrypt"),
                &os("--as"),
                &os("arn:aws:sts::444455556666:assumed-role/reader/job"),
                sealed.as_os_str(),
                opened.as_os_str(),
            ],
        )
    };
    let denied = open_as_b(&private);
    assert_eq!(denied.status.code(), Some(1));
    let msg = String::from_utf8_lossy(&denied.stderr);
    assert!(msg.starts_with("DENY ✗ kms:Decrypt"), "{msg}");
    assert!(
        msg.contains("key policy"),
        "the sentence names the missing half: {msg}"
    );
    assert!(!opened.exists(), "nothing is written when denied");

    let allowed = open_as_b(&shared);
    assert_eq!(
        allowed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    assert_eq!(std::fs::read(&opened).expect("opened file"), content);
}
