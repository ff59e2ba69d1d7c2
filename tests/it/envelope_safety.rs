//! `keyshake envelope` keeps the teaching keyring and the user's files safe:
//! parallel runs lose no key material, a damaged keyring entry or an
//! over-long context is refused before anything is written, and special
//! files are refused instead of read without end.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const K1: &str = "arn:aws:kms:us-east-1:111122223333:key/7f3c2a91-4b6d-4e8a-9c15-2d8e6b0a4f73";
const K2: &str = "arn:aws:kms:us-east-1:111122223333:key/2b9e4d17-8c3a-4f25-b6e1-9a0d3c7f5e28";
const WRITER: &str = "arn:aws:iam::111122223333:role/writer";

fn scenario(dir: &Path) -> PathBuf {
    let key = |arn: &str| {
        format!(
            r#"[[keys]]
arn = "{arn}"
policy = '''{{"Version": "2012-10-17", "Statement": [{{"Sid": "Root", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:root"}}, "Action": "kms:*", "Resource": "*"}}]}}'''
"#
        )
    };
    let text = format!(
        r#"{}{}
[[principals]]
arn = "{WRITER}"
policies = ['''{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}}]}}''']

[[requests]]
principal = "{WRITER}"
action = "kms:GenerateDataKey"
resource = "{K1}"
"#,
        key(K1),
        key(K2)
    );
    let path = dir.join("sc.toml");
    std::fs::write(&path, text).expect("write scenario");
    path
}

fn command(data: &Path, sc: &Path, args: &[&OsStr]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keyshake"));
    c.arg("--data-dir")
        .arg(data)
        .arg("envelope")
        .arg("--scenario")
        .arg(sc)
        .args(args);
    c
}

fn encrypt(
    data: &Path,
    sc: &Path,
    key: &str,
    extra: &[&OsStr],
    input: &Path,
    out: &Path,
) -> Output {
    let mut args: Vec<&OsStr> = vec!["encrypt".as_ref(), "--key".as_ref(), key.as_ref()];
    args.extend_from_slice(&["--as".as_ref(), WRITER.as_ref()]);
    args.extend_from_slice(extra);
    args.extend_from_slice(&[input.as_os_str(), out.as_os_str()]);
    command(data, sc, &args).output().expect("runs")
}

fn decrypt(data: &Path, sc: &Path, input: &Path, out: &Path) -> Output {
    let args: Vec<&OsStr> = vec![
        "decrypt".as_ref(),
        "--as".as_ref(),
        WRITER.as_ref(),
        input.as_os_str(),
        out.as_os_str(),
    ];
    command(data, sc, &args).output().expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn parallel_encrypts_on_a_fresh_keyring_all_decrypt() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sc = scenario(dir.path());
    let plain = dir.path().join("plain.txt");
    std::fs::write(&plain, b"hello\n").expect("write");
    for round in 0..3 {
        let data = dir.path().join(format!("data{round}"));
        let children: Vec<_> = (0..6)
            .map(|i| {
                let key = if i % 2 == 0 { K1 } else { K2 };
                let out = data.join(format!("c{i}.ksenv"));
                let mut args: Vec<&OsStr> =
                    vec!["encrypt".as_ref(), "--key".as_ref(), key.as_ref()];
                args.extend_from_slice(&["--as".as_ref(), WRITER.as_ref()]);
                args.extend_from_slice(&[plain.as_os_str(), out.as_os_str()]);
                command(&data, &sc, &args)
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for mut child in children {
            assert!(child.wait().expect("wait").success());
        }
        for i in 0..6 {
            let out = data.join(format!("o{i}"));
            let o = decrypt(&data, &sc, &data.join(format!("c{i}.ksenv")), &out);
            assert!(
                o.status.success(),
                "round {round}, envelope {i}: {}",
                stderr(&o)
            );
            assert_eq!(std::fs::read(&out).expect("read"), b"hello\n");
        }
    }
}

#[test]
fn a_damaged_keyring_entry_is_refused_not_used_as_a_zero_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sc = scenario(dir.path());
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("mkdir");
    let ring = format!(r#"{{"version": 1, "notice": "x", "keys": {{"{K1}": ["zz"]}}}}"#);
    std::fs::write(data.join("keyring.json"), &ring).expect("write");
    let plain = dir.path().join("plain.txt");
    std::fs::write(&plain, b"secret").expect("write");
    let out = dir.path().join("x.ksenv");
    let o = encrypt(&data, &sc, K1, &[], &plain, &out);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is damaged"), "{}", stderr(&o));
    assert!(!out.exists(), "no envelope is written with a damaged key");
    assert_eq!(
        std::fs::read_to_string(data.join("keyring.json")).expect("read"),
        ring
    );
}

#[test]
fn a_context_too_long_for_kms_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sc = scenario(dir.path());
    let data = dir.path().join("data");
    let plain = dir.path().join("plain.txt");
    std::fs::write(&plain, b"data").expect("write");
    let out = dir.path().join("big.ksenv");
    for ctx in [
        format!("big={}", "v".repeat(65_540)),
        format!("a={}", "é".repeat(8_192)),
    ] {
        let o = encrypt(
            &data,
            &sc,
            K1,
            &["--context".as_ref(), ctx.as_ref()],
            &plain,
            &out,
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("at most 8192"), "{}", stderr(&o));
        assert!(!out.exists());
        assert!(
            !data.join("keyring.json").exists(),
            "no key material was made"
        );
    }
    for bad in ["=x", "k=1"] {
        let args: Vec<&OsStr> = vec![
            "--context".as_ref(),
            bad.as_ref(),
            "--context".as_ref(),
            "k=2".as_ref(),
        ];
        let o = encrypt(&data, &sc, K1, &args, &plain, &out);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(!out.exists());
    }
    // Right at the limit still works, and round-trips.
    let ctx = format!("k={}", "v".repeat(8_191));
    let o = encrypt(
        &data,
        &sc,
        K1,
        &["--context".as_ref(), ctx.as_ref()],
        &plain,
        &out,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let back = dir.path().join("back");
    assert!(decrypt(&data, &sc, &out, &back).status.success());
    assert_eq!(std::fs::read(&back).expect("read"), b"data");
}

#[test]
fn encrypting_a_file_onto_itself_replaces_it_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sc = scenario(dir.path());
    let data = dir.path().join("data");
    let file = dir.path().join("f.bin");
    let content: Vec<u8> = (0..40_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &content).expect("write");
    assert!(encrypt(&data, &sc, K1, &[], &file, &file).status.success());
    assert!(decrypt(&data, &sc, &file, &file).status.success());
    assert_eq!(std::fs::read(&file).expect("read"), content);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sc = scenario(dir.path());
    let data = dir.path().join("data");
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let out = dir.path().join("o.ksenv");
    let mut inputs = vec![PathBuf::from("/dev/zero")];
    if made.is_ok_and(|s| s.success()) {
        inputs.push(fifo);
    }
    for input in inputs {
        let start = std::time::Instant::now();
        let o = encrypt(&data, &sc, K1, &[], &input, &out);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("cannot read a"), "{}", stderr(&o));
        assert!(start.elapsed().as_secs() < 20);
        assert!(!out.exists());
    }
}
