//! `keyshake quiz --mode exam --seed N --print-key`: the instructor's
//! answer key. The exam is drawn exactly as a student's is (a seeded exam
//! does not depend on the student's history), then printed in order with
//! each question's right answer, instead of being run.

use std::io::Write;

use crate::cli::{CliError, Context, QuizArgs, exit};
use crate::core::content::markup;
use crate::core::quiz::controls::ExamControls;
use crate::core::quiz::labels::{DENY_REASONS, describe_with, letter};
use crate::core::quiz::{self, Item, Mode, QuizProgress, Response};
use crate::core::world::Verdict;

/// Prints the answer key of the exam `args` describe.
pub fn command(
    args: &QuizArgs,
    ctx: &mut Context<'_>,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let pack = crate::cli::load_pack(ctx.content)?;
    let mut settings = args.settings();
    if settings.mode != Mode::Exam {
        return Err(CliError::usage(
            "quiz --print-key: the answer key is for an exam; add --mode exam",
        ));
    }
    let Some(seed) = args.seed.or(pack.info.exam.seed) else {
        return Err(CliError::usage(
            "quiz --print-key: give the exam's --seed N (the one the students use), or set `seed` in pack.toml's [exam] table",
        ));
    };
    // The key is not an attempt: no limit applies, nothing is recorded.
    settings.controls = ExamControls::default();
    let mut exam_pack = pack.clone();
    exam_pack.info.exam = ExamControls::default();
    let session = quiz::build_seeded(
        &exam_pack,
        &QuizProgress::default(),
        &settings,
        ctx.unix_seconds(),
        seed,
    )
    .map_err(|e| CliError::usage(format!("keyshake quiz: {e}")))?;
    let plain = |t: &str| markup::plain_text(&pack.styled(t));
    let mut text = format!(
        "Answer key: exam with seed {seed}, {} questions, pack {} {}.\nThe students see the questions and choices in this order with --seed {seed} and this pack.\n",
        session.len(),
        pack.info.name,
        pack.info.version
    );
    for (n, item) in session.items().iter().enumerate() {
        let q = &item.question;
        text.push_str(&format!(
            "\n{}. {} [{}]\n   {}\n",
            n + 1,
            q.id,
            q.objectives.join(", "),
            plain(&q.prompt).replace('\n', "\n   ")
        ));
        for (i, choice) in item.choices().iter().enumerate() {
            text.push_str(&format!("   {}) {}\n", letter(i), plain(choice)));
        }
        let response = item.right_response();
        let right = describe_with(item, &response, &|c| plain(c));
        text.push_str(&format!(
            "   Answer: {right} (typed in --plain: {})\n",
            typed(item, &response)
        ));
    }
    crate::cli::emit(out, text.as_bytes());
    Ok(exit::OK)
}

/// The answer as the plain quiz takes it: `b`, `a,c`, `allow`, `deny 2`.
fn typed(item: &Item, response: &Response) -> String {
    match response {
        Response::Choices(shown) => {
            let mut shown = shown.clone();
            shown.sort_unstable();
            let letters: Vec<String> = shown.iter().map(|&i| letter(i).to_string()).collect();
            letters.join(",")
        }
        Response::Policy { verdict, reason } => match (verdict, reason) {
            (Verdict::Deny, Some(r)) if item.asks_reason() => {
                let n = DENY_REASONS
                    .iter()
                    .position(|x| x == r)
                    .map_or(0, |i| i + 1);
                format!("deny {n}")
            }
            (v, _) => v.code().to_string(),
        },
    }
}
