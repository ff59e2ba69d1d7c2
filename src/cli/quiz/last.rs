//! `keyshake quiz --last-exam`: the learner's latest submitted exam again,
//! its score and, once the exam controls allow it, every answer with the
//! right one and the explanation (docs/grading.md).

use std::io::Write;

use crate::cli::lab::iso_time;
use crate::cli::{CliError, Context, QuizArgs, exit};
use crate::core::content::markup;
use crate::core::progress::{FileStore, ProgressStore, data_dir};
use crate::core::quiz::past::{last_exam, review};

/// Prints the review of the learner's last exam.
pub fn command(
    args: &QuizArgs,
    ctx: &mut Context<'_>,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let pack = crate::cli::load_pack(ctx.content)?;
    let now = ctx.unix_seconds();
    let mut store = FileStore::new(data_dir(ctx.data_dir).map_err(CliError::data)?);
    let loaded = store.load(now).map_err(CliError::data)?;
    let quiz = &loaded.progress.quiz;
    let Some(exam) = last_exam(quiz) else {
        crate::cli::emit(out, b"No exam has been submitted yet.\n");
        return Ok(exit::OK);
    };
    let plain = |t: &str| markup::plain_text(&pack.styled(t));
    let seed = exam
        .seed
        .map_or_else(String::new, |s| format!(", seed {s}"));
    let verdict = if exam.passed { "PASS" } else { "FAIL" };
    let mut text = format!(
        "Last exam{seed}, submitted {}.\nScore: {} of {} right ({}%). Pass mark {}%: {verdict}.\n",
        iso_time(exam.at),
        exam.score.right,
        exam.score.total,
        exam.percent,
        exam.pass_mark
    );
    let controls = args.settings().controls.merged(&pack.info.exam);
    if let Some(why) = controls.review_hidden(now) {
        text.push_str(&format!("\n{why}\n"));
        crate::cli::emit(out, text.as_bytes());
        return Ok(exit::OK);
    }
    for (n, e) in review(&pack, quiz, exam).iter().enumerate() {
        let mark = if e.correct { "right" } else { "wrong" };
        text.push_str(&format!("\n{}. [{mark}] {}\n", n + 1, e.id));
        let Some(prompt) = &e.prompt else {
            text.push_str("   (this question is no longer in the pack)\n");
            continue;
        };
        text.push_str(&format!("   {}\n", plain(prompt).replace('\n', "\n   ")));
        let given = e
            .given
            .as_deref()
            .map_or_else(|| "(no answer)".to_string(), plain);
        text.push_str(&format!("   Your answer: {given}\n"));
        if !e.correct {
            text.push_str(&format!("   Right answer: {}\n", plain(&e.right)));
        }
        text.push_str(&format!(
            "   Why: {}\n",
            plain(&e.explanation).replace('\n', "\n   ")
        ));
    }
    crate::cli::emit(out, text.as_bytes());
    Ok(exit::OK)
}
