//! `keyshake quiz --plain`: the quiz in line mode over any reader and
//! writer, for screen readers, pipes and scripted classroom runs. Same
//! quiz, scoring and recording as the full-screen quiz; the clock is passed
//! in, so tests drive time.
//!
//! Input, one line per answer: `a`/`b`/`c` or `1`/`2`/`3`; several for a
//! "choose two" question (`a,c`, `a c`, `1 3`, `ac`); `allow`/`deny` for a
//! policy question, with the reason after a space or on the next line when
//! the question asks why (`deny 2`, `deny implicit_deny`); `q` (or the end
//! of the input) stops and keeps every answer given. In an exam also `n`
//! next, `p` previous, `g N` go to question N, `f` flag, `r` the review
//! grid, `s` submit. `v` shows a policy question's scenario file.

mod exam;
mod input;
pub mod key;
pub mod last;
mod practice;
pub mod signals;
mod wrap;

pub use input::{parse_choices, parse_reason};

use std::io::{BufRead, Write};

use self::wrap::WrapOut;
use super::{CliError, Context, exit};
use crate::core::content::{Pack, QuestionKind, markup};
use crate::core::progress::change::Change;
use crate::core::progress::{FileStore, ProgressStore, data_dir};
use crate::core::quiz::labels::{describe_with, letter};
use crate::core::quiz::{self, AnswerRecord, Item, Mode, Response, Session, Settings, clock_text};

/// What to run (the parsed command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The quiz settings.
    pub settings: Settings,
    /// The seed for shuffling.
    pub seed: u64,
    /// Whether the seed was given (`--seed`); otherwise it is printed so
    /// the quiz can be repeated.
    pub seed_given: bool,
    /// Wrap text at this many columns (`None`: one line per paragraph,
    /// best for screen readers and pipes).
    pub width: Option<usize>,
    /// Repeat each line read after its prompt (when input comes from a
    /// pipe or file, so the transcript shows the answers).
    pub echo: bool,
}

/// `keyshake quiz --plain`: loads the course and the learner's progress
/// from `ctx`, then runs the quiz over `ctx.input` and `out`. Without a
/// `seed`, one is drawn from the clock (and printed).
pub fn command(
    settings: Settings,
    seed: Option<u64>,
    ctx: &mut Context<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    let pack = super::load_pack(ctx.content)?;
    super::profiles::note_new(ctx, err)?;
    let mut store = FileStore::new(data_dir(ctx.data_dir).map_err(CliError::data)?);
    let clock = ctx.clock;
    // An exam without --seed takes the pack's `[exam] seed`, if it has one.
    let exam_seed = seed.or((settings.mode == Mode::Exam)
        .then_some(pack.info.exam.seed)
        .flatten());
    let options = Options {
        settings,
        seed: exam_seed.unwrap_or_else(|| quiz::fresh_seed(clock())),
        seed_given: exam_seed.is_some(),
        // One column short of the edge, so a full line never wraps twice.
        width: ctx.columns.map(|w| usize::from(w).clamp(40, 100) - 1),
        echo: !ctx.stdin_is_terminal,
    };
    run(
        &pack,
        &mut store,
        &options,
        ctx.input,
        out,
        err,
        &mut || clock().as_secs(),
    )
}

/// Runs a quiz. `clock` returns unix seconds. Returns the exit status:
/// 0 finished or stopped; progress that cannot be read and bad settings
/// (unknown objective, zero count, ...) are errors (exit 2).
pub fn run(
    pack: &Pack,
    store: &mut dyn ProgressStore,
    options: &Options,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    clock: &mut dyn FnMut() -> u64,
) -> Result<u8, CliError> {
    let mut quiz = Plain {
        pack,
        store,
        options,
        input,
        out: WrapOut::new(out, options.width),
        err,
        clock,
        save_failed: false,
    };
    let code = quiz.run()?;
    quiz.out.flush()?;
    Ok(code)
}

type Io<T> = std::io::Result<T>;

/// One quiz in progress over the reader and writer.
struct Plain<'a> {
    pack: &'a Pack,
    store: &'a mut dyn ProgressStore,
    options: &'a Options,
    input: &'a mut dyn BufRead,
    out: WrapOut<'a>,
    err: &'a mut dyn Write,
    clock: &'a mut dyn FnMut() -> u64,
    save_failed: bool,
}

impl Plain<'_> {
    fn run(&mut self) -> Result<u8, CliError> {
        let now = (self.clock)();
        let loaded = self.store.load(now).map_err(CliError::data)?;
        for w in &loaded.warnings {
            writeln!(self.err, "warning: {w}")?;
        }
        super::review::notice_once(&mut *self.store, &loaded.progress.quiz, now, &mut self.out)?;
        let settings = &self.options.settings;
        let session = match quiz::build_seeded(
            self.pack,
            &loaded.progress.quiz,
            settings,
            now,
            self.options.seed,
        ) {
            Ok(s) => s,
            Err(quiz::BuildError::NoAttemptsLeft(why)) => {
                writeln!(self.err, "keyshake quiz: {why}.")?;
                return Ok(exit::FAILED);
            }
            Err(e @ (quiz::BuildError::NothingDue { .. } | quiz::BuildError::NothingMissed)) => {
                writeln!(self.out, "{}.", capitalise(&e.to_string()))?;
                let drills = loaded.progress.quiz.summary(self.pack, now).drills_due;
                if matches!(e, quiz::BuildError::NothingDue { .. }) && drills > 0 {
                    let (noun, verb) = if drills == 1 {
                        ("misconception", "is")
                    } else {
                        ("misconceptions", "are")
                    };
                    writeln!(
                        self.out,
                        "{drills} drilled {noun} {verb} due: keyshake drill asks about them."
                    )?;
                }
                return Ok(exit::OK);
            }
            Err(e) => {
                return Err(CliError {
                    code: exit::USAGE,
                    message: format!("keyshake quiz: {e}"),
                });
            }
        };
        self.intro(&session)?;
        let code = if session.mode() == Mode::Exam {
            self.exam(session)?
        } else {
            self.practice(session)?
        };
        Ok(code)
    }

    fn intro(&mut self, s: &Session) -> Io<()> {
        let n = s.len();
        let plural = if n == 1 { "question" } else { "questions" };
        // The mode's name and what it is come from core, as the TUI's.
        let mode = s.mode();
        let what = match mode {
            Mode::Exam => format!(
                "{}, {n} {plural}, {} minutes, pass mark {}%",
                mode.title(),
                self.options.settings.exam_minutes,
                self.options.settings.pass_mark
            ),
            _ => format!("{}, {n} {plural}", mode.title()),
        };
        writeln!(self.out, "keyshake quiz: {what}: {}.", mode.blurb())?;
        if !self.options.seed_given {
            writeln!(
                self.out,
                "To take this same quiz again, add --seed {}.",
                self.options.seed
            )?;
        }
        writeln!(
            self.out,
            "Answer with a letter or a number (a or 1). When a question asks for two, give both (a,c or 1 3)."
        )?;
        writeln!(
            self.out,
            "Policy questions take allow or deny. Type q to stop; your answers so far are kept."
        )?;
        if s.mode() == Mode::Exam {
            let c = s.controls();
            if let (Some(limit), Some(seed)) = (c.attempts, s.seed()) {
                writeln!(
                    self.out,
                    "This exam allows {limit} attempt{} with seed {seed}; stopping with q counts as one.",
                    if limit == 1 { "" } else { "s" }
                )?;
            }
            if let Some(why) = s.review_hidden((self.clock)()) {
                writeln!(self.out, "Your score is shown when you submit. {why}")?;
            }
            writeln!(
                self.out,
                "Answers are checked when you submit. At any prompt: n next, p previous, g N go to question N, f flag for review, r review grid, s submit."
            )?;
        }
        Ok(())
    }

    fn farewell(&mut self) -> Io<u8> {
        let now = (self.clock)();
        if let Ok(loaded) = self.store.load(now) {
            let home = loaded.progress.quiz.summary(self.pack, now);
            writeln!(
                self.out,
                "Due for review today: {}. Missed (wrong last time): {}.",
                home.due_today, home.missed
            )?;
        }
        Ok(exit::OK)
    }

    fn show_question(&mut self, s: &Session, item: &Item, index: usize) -> Io<()> {
        let q = &item.question;
        let objectives: Vec<String> = q
            .objectives
            .iter()
            .map(|o| {
                self.pack
                    .objective(o)
                    .map_or(o.clone(), |o| o.title.clone())
            })
            .collect();
        let mut head = format!("\nQuestion {} of {}", index + 1, s.len());
        if s.is_flagged(index) {
            head.push_str(" (flagged)");
        }
        if let Some(left) = s.remaining((self.clock)()) {
            head.push_str(&format!(", {} left", clock_text(left)));
        }
        writeln!(self.out, "{head}")?;
        writeln!(self.out, "Objective: {}", objectives.join(", "))?;
        let prompt = self.plain(&q.prompt);
        self.para(&prompt)?;
        match q.kind {
            QuestionKind::Policy => {
                writeln!(
                    self.out,
                    "Answer allow or deny (type v to view the scenario's policies first)."
                )?;
                if item.asks_reason() {
                    writeln!(
                        self.out,
                        "If you answer deny, say why: you will be asked for the reason."
                    )?;
                }
            }
            _ => {
                for (i, choice) in item.choices().iter().enumerate() {
                    let text = format!("{}) {}", letter(i), self.plain(choice));
                    self.para(&text)?;
                }
                if q.kind == QuestionKind::Multiple {
                    writeln!(self.out, "Choose {}.", q.pick)?;
                }
            }
        }
        Ok(())
    }

    /// An answer in words, choice texts without markup.
    fn describe(&self, item: &Item, response: &Response) -> String {
        describe_with(item, response, &|c| self.plain(c))
    }

    fn save_answers(&mut self, records: &[AnswerRecord]) -> Io<()> {
        if records.is_empty() {
            return Ok(());
        }
        self.save(&Change::QuizAnswers(records.to_vec()))
    }

    /// Saves one change through the store, applied by [`Change::apply`] as
    /// the TUI and the signal path apply theirs.
    fn save(&mut self, change: &Change) -> Io<()> {
        self.save_all(std::slice::from_ref(change))
    }

    /// Saves `changes` in one write (all or none), unless a signal is
    /// ending the process (its thread saves what is kept).
    fn save_all(&mut self, changes: &[Change]) -> Io<()> {
        if signals::ending() {
            return Ok(());
        }
        let now = (self.clock)();
        let pack = self.pack;
        let mut apply = |p: &mut crate::core::progress::Progress| {
            for change in changes {
                change.apply(p, pack, now);
            }
        };
        if let Err(e) = self.store.update(now, &mut apply)
            && !self.save_failed
        {
            self.save_failed = true;
            writeln!(
                self.err,
                "warning: your answers cannot be saved right now ({e}); this answer is not kept, and saving is tried again with each next answer"
            )?;
        }
        Ok(())
    }

    /// Question text without markup: `code`, *emphasis* and glossary links
    /// become their plain words.
    fn plain(&self, text: &str) -> String {
        markup::plain_text(&self.pack.styled(text))
    }

    /// Writes text line by line (the output wraps long lines when a
    /// width is set).
    fn para(&mut self, text: &str) -> Io<()> {
        for line in text.split('\n') {
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
