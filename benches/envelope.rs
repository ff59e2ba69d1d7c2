//! Envelope encryption throughput: `cargo bench --bench envelope`.
//!
//! Seals 100 MB with the toy KMS (GenerateDataKey through the policy engine,
//! then AES-256-GCM locally) beside raw AES-256-GCM on the same buffer, both
//! reported in MB/s by criterion; the difference is the envelope's overhead.

use std::hint::black_box;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use keyshake::core::kms::{EncryptionContext, Keyring, ToyKms, open, seal};
use keyshake::core::policy::principal::Caller;
use keyshake::core::world::load_str;
use rand::SeedableRng;

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/4d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f";
const SIZE: usize = 100 * 1024 * 1024;

fn benches(c: &mut Criterion) {
    let world = load_str(
        "bench.toml",
        &format!(
            r#"[[keys]]
arn = "{KEY}"
policy = '''{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:root"}}, "Action": "kms:*", "Resource": "*"}}]}}'''
[[requests]]
principal = "arn:aws:iam::111122223333:root"
action = "kms:Decrypt"
resource = "{KEY}"
"#
        ),
    )
    .expect("valid scenario");
    let me = Caller::parse("arn:aws:iam::111122223333:root", |_, _| None).expect("caller");
    let data = vec![0x5au8; SIZE];
    let mut ring = Keyring::in_memory();
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);

    let mut group = c.benchmark_group("100MB");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(SIZE as u64));
    group.bench_function("raw_aes_256_gcm_encrypt", |b| {
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from([7u8; 32]));
        b.iter(|| {
            cipher
                .encrypt(
                    &Nonce::from([1u8; 12]),
                    Payload {
                        msg: black_box(&data),
                        aad: b"",
                    },
                )
                .expect("encrypts")
        })
    });
    group.bench_function("envelope_seal", |b| {
        b.iter(|| {
            let mut kms = ToyKms::new(&world, &mut ring);
            seal(
                &mut kms,
                &me,
                KEY,
                black_box(&data),
                &EncryptionContext::new(),
                &mut rng,
            )
            .expect("seals")
        })
    });
    let sealed = {
        let mut kms = ToyKms::new(&world, &mut ring);
        seal(
            &mut kms,
            &me,
            KEY,
            &data,
            &EncryptionContext::new(),
            &mut rng,
        )
        .expect("seals")
    };
    group.bench_function("envelope_open", |b| {
        b.iter(|| {
            let mut kms = ToyKms::new(&world, &mut ring);
            open(&mut kms, &me, black_box(&sealed)).expect("opens")
        })
    });
    group.finish();
}

criterion_group!(envelope, benches);
criterion_main!(envelope);
