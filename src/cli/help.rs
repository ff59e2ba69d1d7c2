//! `keyshake help [COMMAND...|TOPIC]`: a command's help, as `--help` prints
//! it, or a reference page compiled into the binary (`keyshake help
//! scenario` is docs/scenario-format.md, `keyshake help why-not` is
//! docs/why-not.md and `keyshake help content` is CONTENT.md, for instructors who only have the binary).

use clap::CommandFactory;

/// The reference pages `keyshake help` knows, with the names they answer to.
const TOPICS: &[(&[&str], &str)] = &[
    (
        &["scenario", "scenarios", "scenario-format"],
        include_str!("../../docs/scenario-format.md"),
    ),
    (
        &["why-not", "whynot", "fixes", "near-misses"],
        include_str!("../../docs/why-not.md"),
    ),
    (
        &["content", "authoring", "packs"],
        include_str!("../../CONTENT.md"),
    ),
];

/// The text `keyshake help WORDS...` prints, or a usage error.
pub(super) fn help(words: &[String]) -> Result<String, String> {
    if let [word] = words
        && let Some((_, page)) = TOPICS
            .iter()
            .find(|(names, _)| names.contains(&word.as_str()))
    {
        return Ok((*page).to_string());
    }
    let mut cmd = super::Cli::command();
    cmd.build();
    let mut at = &mut cmd;
    for word in words {
        let Some(sub) = at.find_subcommand_mut(word) else {
            let topics: Vec<&str> = TOPICS.iter().map(|(names, _)| names[0]).collect();
            return Err(format!(
                "no command or help topic {word:?}; try `keyshake --help`, or a topic: {}",
                topics.join(", ")
            ));
        };
        at = sub;
    }
    Ok(at.render_long_help().to_string())
}
