//! `keyshake lab FILE` on every scenario the project has: each opens as a
//! sandbox, saving unchanged texts leaves the file byte for byte, and a
//! changed policy is written into the file so that the engine reads the
//! new text while every other policy and request stays as it was.

use std::path::Path;

use keyshake::core::content::Lab;
use keyshake::core::content::sandbox::rewrite;
use keyshake::core::world::load_str;

fn scenario_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for dir in ["tests/scenarios", "content/labs", "content/scenarios"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_scenario_opens_as_a_sandbox_and_round_trips() {
    let files = scenario_files();
    assert!(files.len() > 80, "found only {} files", files.len());
    let mut policies = 0;
    for path in files {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let lab = Lab::sandbox(&shown, &text).unwrap_or_else(|d| panic!("{shown}: {d:?}"));
        assert!(lab.sandbox);
        assert_eq!(lab.goals.len(), lab.world().requests.len(), "{shown}");
        // Unchanged texts: the same bytes.
        let same: Vec<_> = lab
            .editable
            .iter()
            .map(|e| (e.policy.clone(), e.start.clone()))
            .collect();
        assert_eq!(
            rewrite(&text, &same).as_deref(),
            Ok(text.as_str()),
            "{shown}"
        );
        // Each policy that has a text, changed on its own (a Sid-free
        // whitespace change the engine ignores, plus a marker to find it).
        for (i, e) in lab.editable.iter().enumerate() {
            if e.start.trim().is_empty() {
                continue;
            }
            policies += 1;
            let changed = format!("{}\n", e.start.trim_end().replacen('{', "{ ", 1));
            let out = rewrite(&text, &[(e.policy.clone(), changed.clone())])
                .unwrap_or_else(|m| panic!("{shown}, {}: {m}", e.policy));
            let again =
                Lab::sandbox(&shown, &out).unwrap_or_else(|d| panic!("{shown}: {d:?}\n{out}"));
            for (j, f) in again.editable.iter().enumerate() {
                let expected = if i == j {
                    &changed
                } else {
                    &lab.editable[j].start
                };
                assert_eq!(
                    &f.start, expected,
                    "{shown}: {} after changing {}",
                    f.policy, e.policy
                );
            }
            let world = load_str(&shown, &out).unwrap_or_else(|d| panic!("{shown}: {d:?}"));
            assert_eq!(world.requests.len(), lab.world().requests.len());
        }
    }
    assert!(policies > 150, "only {policies} policies were rewritten");
}

/// A scenario's RCPs are sandbox tabs too, and a change to one is written
/// back under the account's `rcps` and evaluated.
#[test]
fn an_rcp_is_a_sandbox_tab_written_back_in_place() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/labs/23-rcp-partner-door.toml");
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).expect("lab 23");
    let lab = Lab::sandbox(&shown, &text).expect("opens as a sandbox");
    let e = lab
        .editable
        .iter()
        .find(|e| e.policy.to_string() == "rcp:111122223333#1")
        .expect("an RCP tab");
    assert!(e.label.starts_with("RCP 1 · "), "{}", e.label);
    let loose = e.start.replace("o-a1b2c3d4e5", "o-zzzzzzzzzz");
    let out = rewrite(&text, &[(e.policy.clone(), loose)]).expect("written back");
    let world = load_str(&shown, &out).expect("still loads");
    let a = world
        .accounts
        .iter()
        .find(|a| a.id == "111122223333")
        .expect("account A");
    assert!(a.rcps[0].text.contains("o-zzzzzzzzzz"));
    // Now account B, inside the organization, is denied by the RCP.
    let again = Lab::sandbox(&shown, &out).expect("opens");
    let status = again.check(again.world());
    let b = again
        .goals
        .iter()
        .position(|g| g.text.contains("member account B"))
        .expect("B's goal");
    assert!(!status.goals[b].met);
}
