//! The toy KMS and envelope encryption (issue: "Envelope encryption, for
//! real"): real AES-256-GCM, KMS's limits, and every call authorised by the
//! policy engine.

use keyshake::core::kms::{EncryptionContext, Keyring, KmsError, ToyKms, open, seal};
use keyshake::core::policy::principal::Caller;
use keyshake::core::world::{World, load_str};
use rand::SeedableRng;
use rand::rngs::StdRng;

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/0b7d2f3e-5a61-4c2e-9f0d-3c8e1a7b6d52";
const OTHER_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/9e4c1b7a-2d3f-4e5a-8b6c-1f0e2d3c4b5a";
const A_APP: &str = "arn:aws:iam::111122223333:role/app";
const B_READER: &str = "arn:aws:iam::444455556666:role/reader";

/// A world with a key in account A, A's own app role, and B's reader role.
/// `key_half`: the key policy trusts B's role; `iam_half`: B's IAM allows it.
fn world(key_half: bool, iam_half: bool) -> World {
    let b_statement = if key_half {
        format!(
            r#",{{"Sid": "B reader decrypts", "Effect": "Allow", "Principal": {{"AWS": "{B_READER}"}}, "Action": ["kms:Decrypt"], "Resource": "*"}}"#
        )
    } else {
        String::new()
    };
    let b_policy = if iam_half {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "{KEY}"}}]}}"#
        )
    } else {
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#.to_string()
    };
    let text = format!(
        r#"
[[keys]]
arn = "{KEY}"
aliases = ["alias/reports"]
policy = '''{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:root"}}, "Action": "kms:*", "Resource": "*"}}{b_statement}]}}'''

[[keys]]
arn = "{OTHER_KEY}"
policy = '''{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:root"}}, "Action": "kms:*", "Resource": "*"}}]}}'''

[[principals]]
arn = "{A_APP}"
policies = ['''{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}}]}}''']

[[principals]]
arn = "{B_READER}"
policies = ['''{b_policy}''']

[[requests]]
principal = "{A_APP}"
action = "kms:Encrypt"
resource = "{KEY}"
"#
    );
    load_str("kms-test.toml", &text).expect("valid test world")
}

fn caller(arn: &str) -> Caller {
    Caller::parse(arn, |_, _| None).expect("valid caller")
}

fn ctx(pairs: &[(&str, &str)]) -> EncryptionContext {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn envelope_round_trips_every_size() {
    let w = world(true, true);
    let mut ring = Keyring::in_memory();
    let mut rng = StdRng::seed_from_u64(7);
    let me = caller(A_APP);
    let context = ctx(&[("project", "reports")]);
    for size in [0usize, 1, 4096, 4097, 10 * 1024 * 1024] {
        let data: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
        let mut kms = ToyKms::new(&w, &mut ring);
        let file = seal(&mut kms, &me, KEY, &data, &context, &mut rng).expect("seal");
        assert!(
            file.len() > data.len(),
            "the envelope carries a header and a tag"
        );
        assert_eq!(
            open(&mut kms, &me, &file).expect("open"),
            data,
            "size {size}"
        );
    }
}

#[test]
fn encrypt_refuses_more_than_4096_bytes_as_kms_does() {
    let w = world(true, true);
    let mut ring = Keyring::in_memory();
    let mut rng = StdRng::seed_from_u64(1);
    let mut kms = ToyKms::new(&w, &mut ring);
    let me = caller(A_APP);
    let ok = kms
        .encrypt(&me, KEY, &[9; 4096], &EncryptionContext::new(), &mut rng)
        .expect("4096 bytes fit");
    let (arn, plain) = kms
        .decrypt(&me, &ok, &EncryptionContext::new())
        .expect("decrypts");
    assert_eq!((arn.as_str(), plain.len()), (KEY, 4096));
    let err = kms
        .encrypt(&me, KEY, &[9; 4097], &EncryptionContext::new(), &mut rng)
        .unwrap_err();
    assert!(matches!(err, KmsError::Validation(_)));
    assert!(
        err.to_string()
            .starts_with("ValidationException: plaintext is 4097 bytes"),
        "{err}"
    );
    // A key named by alias works in the key's own account.
    kms.encrypt(
        &me,
        "alias/reports",
        b"hi",
        &EncryptionContext::new(),
        &mut rng,
    )
    .expect("alias name in own account");
}

#[test]
fn flipping_any_bit_of_an_envelope_makes_it_fail() {
    let w = world(true, true);
    let mut ring = Keyring::in_memory();
    let mut rng = StdRng::seed_from_u64(3);
    let me = caller(A_APP);
    let mut kms = ToyKms::new(&w, &mut ring);
    let file = seal(
        &mut kms,
        &me,
        KEY,
        b"quarterly numbers",
        &ctx(&[("k", "v")]),
        &mut rng,
    )
    .expect("seal");
    for byte in 0..file.len() {
        for bit in [0u8, 3, 7] {
            let mut bad = file.clone();
            bad[byte] ^= 1 << bit;
            assert!(
                open(&mut kms, &me, &bad).is_err(),
                "flipping bit {bit} of byte {byte} went unnoticed"
            );
        }
    }
    assert_eq!(
        open(&mut kms, &me, &file).expect("the original still opens"),
        b"quarterly numbers"
    );
}

#[test]
fn a_different_encryption_context_does_not_decrypt() {
    let w = world(true, true);
    let mut ring = Keyring::in_memory();
    let mut rng = StdRng::seed_from_u64(4);
    let me = caller(A_APP);
    let mut kms = ToyKms::new(&w, &mut ring);
    let blob = kms
        .encrypt(&me, KEY, b"secret", &ctx(&[("dept", "finance")]), &mut rng)
        .expect("encrypt");
    let err = kms
        .decrypt(&me, &blob, &ctx(&[("dept", "sales")]))
        .unwrap_err();
    assert!(matches!(err, KmsError::InvalidCiphertext(_)), "{err}");
    assert!(kms.decrypt(&me, &blob, &EncryptionContext::new()).is_err());
    assert_eq!(
        kms.decrypt(&me, &blob, &ctx(&[("dept", "finance")]))
            .expect("same context")
            .1,
        b"secret"
    );
}

#[test]
fn data_encrypted_before_rotation_decrypts_after_it() {
    let w = world(true, true);
    let mut ring = Keyring::in_memory();
    let mut rng = StdRng::seed_from_u64(5);
    let me = caller(A_APP);
    let mut kms = ToyKms::new(&w, &mut ring);
    let before = seal(
        &mut kms,
        &me,
        KEY,
        b"old data",
        &EncryptionContext::new(),
        &mut rng,
    )
    .expect("seal");
    assert_eq!(kms.rotate(&me, KEY, &mut rng).expect("rotate"), 2);
    let after = seal(
        &mut kms,
        &me,
        KEY,
        b"new data",
        &EncryptionContext::new(),
        &mut rng,
    )
    .expect("seal");
    assert_eq!(
        open(&mut kms, &me, &before).expect("old still opens"),
        b"old data"
    );
    assert_eq!(open(&mut kms, &me, &after).expect("new opens"), b"new data");
    assert_eq!(
        ring.versions(KEY),
        2,
        "the key ARN is unchanged; only its material gained a version"
    );
}

#[test]
fn cross_account_decrypt_needs_both_halves_of_the_handshake() {
    let mut rng = StdRng::seed_from_u64(6);
    // Sealed by A's app under the key, with one keyring shared by every world
    // (the same key ARN, the same material).
    let mut ring = Keyring::in_memory();
    let sealed = {
        let w = world(true, true);
        let mut kms = ToyKms::new(&w, &mut ring);
        seal(
            &mut kms,
            &caller(A_APP),
            KEY,
            b"for account B",
            &EncryptionContext::new(),
            &mut rng,
        )
        .expect("seal")
    };
    let reader = caller(B_READER);
    for (key_half, iam_half, want) in [
        (false, false, "Neither half"),
        (true, false, "identity policies"),
        (false, true, "key policy"),
    ] {
        let w = world(key_half, iam_half);
        let mut kms = ToyKms::new(&w, &mut ring);
        match open(&mut kms, &reader, &sealed) {
            Err(KmsError::AccessDenied {
                action,
                explanation,
                ..
            }) => {
                assert_eq!(action, "kms:Decrypt");
                assert!(
                    explanation.contains(want),
                    "key half {key_half}, IAM half {iam_half}: {explanation}"
                );
            }
            other => panic!("expected AccessDenied, got {other:?}"),
        }
    }
    let w = world(true, true);
    let mut kms = ToyKms::new(&w, &mut ring);
    assert_eq!(
        open(&mut kms, &reader, &sealed).expect("both halves allow"),
        b"for account B"
    );
    // B may decrypt but not encrypt: the key policy grants only Decrypt.
    assert!(matches!(
        kms.encrypt(&reader, KEY, b"x", &EncryptionContext::new(), &mut rng),
        Err(KmsError::AccessDenied { .. })
    ));
}

#[test]
fn data_keys_without_plaintext_and_re_encrypt() {
    let w = world(true, true);
    let mut ring = Keyring::in_memory();
    let mut rng = StdRng::seed_from_u64(8);
    let me = caller(A_APP);
    let mut kms = ToyKms::new(&w, &mut ring);
    let blob = kms
        .generate_data_key_without_plaintext(&me, KEY, &EncryptionContext::new(), &mut rng)
        .expect("data key");
    let (_, key) = kms
        .decrypt(&me, &blob, &EncryptionContext::new())
        .expect("decrypts later");
    assert_eq!(key.len(), 32);
    let moved = kms
        .re_encrypt(
            &me,
            &blob,
            &EncryptionContext::new(),
            OTHER_KEY,
            &EncryptionContext::new(),
            &mut rng,
        )
        .expect("re-encrypt");
    let (arn, again) = kms
        .decrypt(&me, &moved, &EncryptionContext::new())
        .expect("decrypts under the new key");
    assert_eq!((arn.as_str(), again), (OTHER_KEY, key));
    // B's reader can name the key only by ARN; an alias name resolves in B's own account.
    let err = kms
        .encrypt(
            &caller(B_READER),
            "alias/reports",
            b"x",
            &EncryptionContext::new(),
            &mut rng,
        )
        .unwrap_err();
    assert!(matches!(err, KmsError::NotFound(_)), "{err}");
}
