//! Authoring a pack with the real binary: `pack check` reports every
//! problem of every file in one run (text, JSON, GitHub annotations), and
//! `pack new`, `pack add` and `pack export-builtin` write packs that pass it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn keyshake(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args(args)
        .current_dir(cwd)
        .env("KEYSHAKE_DATA_DIR", cwd.join(".data"))
        .env_remove("KEYSHAKE_PROFILE")
        .env_remove("KEYSHAKE_CONTENT")
        .output()
        .expect("run keyshake")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn packs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packs")
}

/// The problems of a `pack check` run, as `path:line:column: severity`
/// with the pack folder removed (hint lines and the summary left out).
fn problem_places(out: &str, root: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .filter(|l| !l.starts_with("lint: "))
        .map(|l| {
            let l = l.strip_prefix(root).unwrap_or(l);
            let end = l
                .find(": error: ")
                .or_else(|| l.find(": warning: "))
                .unwrap_or(0);
            let severity = if l[end..].starts_with(": error") {
                "error"
            } else {
                "warning"
            };
            format!("{}: {severity}", &l[..end])
        })
        .collect()
}

const PLANTED: &[&str] = &[
    "glossary.toml:5:1: error",
    "glossary.toml:12:8: warning",
    "labs/01-one-hint.toml:15:3: error",
    "lessons/01-both-sides.toml:2:9: warning",
    "lessons/01-both-sides.toml:18:11: error",
    "questions/bank.toml:7:1: error",
    "questions/bank.toml:16:10: error",
    "questions/bank.toml:23:8: error",
    "questions/bank.toml:34:11: error",
    "questions/bank.toml:46:15: error",
    "questions/bank.toml:56:15: error",
    "scenarios/orphan.toml:40:1: error",
    "scenarios/orphan2.toml:7:1: error",
];

#[test]
fn pack_check_reports_every_planted_problem_in_one_run_at_its_line() {
    let root = packs();
    let out = keyshake(&root, &["pack", "check", "many-problems"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(problem_places(&text, "many-problems/"), PLANTED, "{text}");
    // The broken glossary entry does not make the lessons' links to it
    // errors, and the question after a schema error is still checked.
    assert!(!text.contains("is not a glossary term"), "{text}");
    assert!(text.contains("answer index 4 is out of range"), "{text}");
    assert!(
        text.contains("11 errors, 2 warnings: the pack does not load"),
        "{text}"
    );
}

#[test]
fn pack_check_speaks_json_and_github_annotations() {
    let root = packs();
    let out = keyshake(
        &root,
        &["pack", "check", "many-problems", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["errors"], 11);
    assert_eq!(doc["warnings"], 2);
    assert_eq!(doc["ok"], false);
    let problems = doc["problems"].as_array().expect("problems");
    let places: Vec<String> = problems
        .iter()
        .map(|p| {
            let path = p["path"].as_str().unwrap_or("");
            format!(
                "{}:{}:{}: {}",
                path.strip_prefix("many-problems/").unwrap_or(path),
                p["line"],
                p["column"],
                p["severity"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(places, PLANTED);

    let out = keyshake(
        &root,
        &["pack", "check", "many-problems", "--format", "github"],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.lines().any(|l| l
            == "::error file=many-problems/questions/bank.toml,line=16,col=10::answer index 4 is out of range: there are 4 choices (indexes 0 to 3)"),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with(
            "::warning file=many-problems/lessons/01-both-sides.toml,line=2,col=9::lessons"
        )),
        "{text}"
    );
    // A hint is the second line of the annotation's message.
    assert!(
        text.contains("unknown question kind \"true-false\"; use single, multiple, truefalse or policy%0Ahint: did you mean \"truefalse\"?"),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("::")).count(),
        PLANTED.len(),
        "{text}"
    );
}

#[test]
fn pack_new_names_the_pack_after_its_folder_and_add_writes_skeletons_that_pass() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cwd = tmp.path();
    let out = keyshake(cwd, &["pack", "new", "kms-class"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let pack_toml = std::fs::read_to_string(cwd.join("kms-class/pack.toml")).expect("pack.toml");
    assert!(pack_toml.contains("name = \"kms-class\""), "{pack_toml}");
    let adds = [
        ("lesson", "bucket-keys", "lessons/02-bucket-keys.toml"),
        ("question", "who-writes", "questions/who-writes.toml"),
        ("lab", "fix-the-key", "labs/02-fix-the-key.toml"),
        ("scenario", "whiteboard", "scenarios/whiteboard.toml"),
    ];
    for (kind, id, file) in adds {
        let out = keyshake(cwd, &["pack", "add", kind, id, "--pack", "kms-class"]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", stdout(&out));
        assert!(cwd.join("kms-class").join(file).is_file(), "{kind}: {file}");
    }
    // Inside the pack folder, without --pack; a second lesson goes after.
    let inside = cwd.join("kms-class");
    let out = keyshake(&inside, &["pack", "add", "lesson", "rotation"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(inside.join("lessons/03-rotation.toml").is_file());
    let out = keyshake(cwd, &["pack", "check", "kms-class"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("pack kms-class 0.1.0:"), "{text}");
    assert!(text.contains("3 lessons"), "{text}");
    assert!(text.contains("2 labs"), "{text}");
    // The added lab and scenario hold what eval expects of them.
    let out = keyshake(&inside, &["eval", "scenarios/whiteboard.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // An id the pack has, a bad id, and a folder that is not a pack.
    let again = keyshake(&inside, &["pack", "add", "question", "who-writes"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has a question"));
    let bad = keyshake(&inside, &["pack", "add", "lab", "Bad_Id"]);
    assert_eq!(bad.status.code(), Some(2));
    let nowhere = keyshake(cwd, &["pack", "add", "lesson", "x"]);
    assert_eq!(nowhere.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("is not a pack folder"));
}

#[test]
fn export_builtin_writes_the_course_as_a_pack_that_passes_strictly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cwd = tmp.path();
    let out = keyshake(cwd, &["pack", "export-builtin", "course"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = keyshake(cwd, &["pack", "check", "--strict", "course"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let builtin = crate::builtin_pack();
    assert!(
        text.contains(&format!(
            "{} lessons ({} checkpoints), {} questions, {} labs: ok",
            builtin.lessons.len(),
            builtin
                .lessons
                .iter()
                .map(|l| l.checkpoint_count())
                .sum::<usize>(),
            builtin.questions.len(),
            builtin.labs.len()
        )),
        "{text}"
    );
    // Writing into a folder that holds something is refused.
    let again = keyshake(cwd, &["pack", "export-builtin", "course"]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn an_extend_pack_picks_and_hides_builtin_lessons_and_labs() {
    use keyshake::core::content::Pack;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("mine");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let write = |text: &str| std::fs::write(dir.join("pack.toml"), text).expect("write");
    write(
        "name = \"mine\"\nversion = \"1\"\nmode = \"extend\"\n\
         pick = [\"welcome\", \"lesson-04\", \"lab-1\", \"lab-02\", \"iam-half\"]\n\
         hide = [\"lab-03\"]\n",
    );
    let pack = Pack::load_dir(&dir).unwrap_or_else(|d| panic!("{d:?}"));
    let lessons: Vec<&str> = pack.lessons.iter().map(|l| l.id.as_str()).collect();
    let labs: Vec<&str> = pack.labs.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(lessons, ["welcome", "handshake"]);
    assert_eq!(labs, ["worked-example", "key-policy-half"]);
    // A glossary `see` never leads to a lesson the pack hid.
    assert!(
        pack.glossary
            .iter()
            .flat_map(|t| &t.see)
            .all(|s| lessons.contains(&s.as_str()))
    );

    write("name = \"mine\"\nversion = \"1\"\nmode = \"extend\"\nhide = [\"key-types\"]\n");
    let pack = Pack::load_dir(&dir).unwrap_or_else(|d| panic!("{d:?}"));
    let builtin = crate::builtin_pack();
    assert_eq!(pack.lessons.len(), builtin.lessons.len() - 1);
    assert!(pack.lesson("key-types").is_none());
    assert_eq!(pack.labs.len(), builtin.labs.len());

    // A misspelt id is an error at its place; pick without extend too.
    write("name = \"mine\"\nversion = \"1\"\nmode = \"extend\"\nhide = [\"handshak\"]\n");
    let out = keyshake(tmp.path(), &["pack", "check", "mine"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("mine/pack.toml:4:9: error: \"handshak\" is not a built-in lesson or lab"),
        "{text}"
    );
    assert!(text.contains("did you mean \"handshake\"?"), "{text}");
    write("name = \"mine\"\nversion = \"1\"\npick = [\"welcome\"]\n");
    let out = keyshake(tmp.path(), &["pack", "check", "mine"]);
    assert!(
        stdout(&out).contains("mine/pack.toml:3:9: error: `pick` and `hide`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_lab_with_typos_in_both_halves_reports_each_and_is_still_checked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cwd = tmp.path();
    assert_eq!(keyshake(cwd, &["pack", "new", "p"]).status.code(), Some(0));
    let lab = cwd.join("p/labs/01-trust-one-role.toml");
    let text = std::fs::read_to_string(&lab).expect("lab");
    let text = text
        .replacen("[lab]\n", "[lab]\nbogus = 1\n", 1)
        .replacen(
            "explanation = '''",
            "explaination = 1\nexplanation = '''",
            1,
        )
        .replacen("[[keys]]\n", "[[keys]]\ntypo = 2\n", 1);
    std::fs::write(&lab, &text).expect("write");
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.starts_with(needle))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("{needle}"))
    };
    let out = keyshake(cwd, &["pack", "check", "p"]);
    let got = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{got}");
    for (needle, what) in [
        ("bogus = 1", "unknown field `bogus`"),
        ("explaination", "unknown field `explaination`"),
        ("typo = 2", "unknown field `typo`"),
    ] {
        let want = format!(
            "p/labs/01-trust-one-role.toml:{}:1: error: ",
            line_of(needle)
        );
        assert!(
            got.lines()
                .any(|l| l.starts_with(&want) && l.contains(what)),
            "{want}{what}\n{got}"
        );
    }
}

#[test]
fn a_missing_folder_is_unreadable_in_every_format() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (format, want) in [
        ("text", "nowhere: error: not a folder"),
        ("github", "::error file=nowhere::not a folder"),
        ("json", "\"readable\": false"),
    ] {
        let out = keyshake(
            tmp.path(),
            &["pack", "check", "nowhere", "--format", format],
        );
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(stdout(&out).contains(want), "{format}: {}", stdout(&out));
    }
}

#[test]
fn a_pack_folder_called_content_is_never_taken_for_the_builtin_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cwd = tmp.path();
    let out = keyshake(cwd, &["pack", "new", "content"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let pack_toml = cwd.join("content/pack.toml");
    let text = std::fs::read_to_string(&pack_toml).expect("pack.toml");
    let text = text.replace(
        "\nmode = \"replace\"",
        "\nmode = \"extend\"\npick = [\"welcome\"]",
    );
    std::fs::write(&pack_toml, text).expect("write");
    // `pick` keeps one built-in lesson; the folder's own lesson stays too,
    // although its path, as given, starts with content/.
    let out = keyshake(cwd, &["pack", "check", "content", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["pack"]["lessons"], 2, "{doc:#}");
}
