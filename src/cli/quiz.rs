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

use std::io::{BufRead, Write};

use crate::core::content::{Pack, QuestionKind, markup};
use crate::core::progress::ProgressStore;
use crate::core::quiz::labels::{DENY_REASONS, describe_with, letter, reason_label};
use crate::core::quiz::{
    self, AnswerRecord, Answered, ExamReport, Item, Mode, Response, Session, Settings, TimerEvent,
};
use crate::core::quiz::{clock_text, ranges};
use crate::core::world::{Reason, Verdict};

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

/// Exit status: finished or stopped.
pub const EXIT_OK: u8 = 0;
/// Exit status: progress could not be read.
pub const EXIT_FAILED: u8 = 1;
/// Exit status: bad arguments (unknown objective, zero count, ...).
pub const EXIT_USAGE: u8 = 2;

/// Runs a quiz. `clock` returns unix seconds. Returns the exit status.
pub fn run(
    pack: &Pack,
    store: &mut dyn ProgressStore,
    options: &Options,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    clock: &mut dyn FnMut() -> u64,
) -> u8 {
    let mut quiz = Plain {
        pack,
        store,
        options,
        input,
        out: WrapOut {
            inner: out,
            width: options.width,
            line: String::new(),
            raw_col: false,
        },
        err,
        clock,
        save_failed: false,
    };
    let result = quiz.run().and_then(|code| quiz.out.flush().map(|()| code));
    match result {
        Ok(code) => code,
        Err(e) => {
            // Writing failed (a closed pipe): nothing more can be said.
            let _ = writeln!(quiz.err, "keyshake: {e}");
            EXIT_FAILED
        }
    }
}

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

/// A line read, or the end of the input.
enum Line {
    Text(String),
    End,
}

type Io<T> = std::io::Result<T>;

impl Plain<'_> {
    fn run(&mut self) -> Io<u8> {
        let now = (self.clock)();
        let loaded = match self.store.load(now) {
            Ok(l) => l,
            Err(e) => {
                writeln!(self.err, "keyshake: {e}")?;
                return Ok(EXIT_FAILED);
            }
        };
        for w in &loaded.warnings {
            writeln!(self.err, "warning: {w}")?;
        }
        let settings = &self.options.settings;
        let session = match quiz::build_seeded(
            self.pack,
            &loaded.progress.quiz,
            settings,
            now,
            self.options.seed,
        ) {
            Ok(s) => s,
            Err(e @ (quiz::BuildError::NothingDue { .. } | quiz::BuildError::NothingMissed)) => {
                writeln!(self.out, "{}.", capitalise(&e.to_string()))?;
                return Ok(EXIT_OK);
            }
            Err(e) => {
                writeln!(self.err, "keyshake quiz: {e}")?;
                return Ok(EXIT_USAGE);
            }
        };
        self.intro(&session)?;
        if session.mode() == Mode::Exam {
            self.exam(session)
        } else {
            self.practice(session)
        }
    }

    fn intro(&mut self, s: &Session) -> Io<()> {
        let n = s.len();
        let plural = if n == 1 { "question" } else { "questions" };
        let what = match s.mode() {
            Mode::Practice => format!("practice, {n} {plural}"),
            Mode::Review => format!("review of the {n} {plural} due today"),
            Mode::Missed => format!("the {n} {plural} you missed last time"),
            Mode::Exam => format!(
                "exam, {n} {plural}, {} minutes, pass mark {}%",
                self.options.settings.exam_minutes, self.options.settings.pass_mark
            ),
        };
        writeln!(self.out, "keyshake quiz: {what}.")?;
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
            writeln!(
                self.out,
                "Answers are checked when you submit. At any prompt: n next, p previous, g N go to question N, f flag for review, r review grid, s submit."
            )?;
        }
        Ok(())
    }

    // ----- practice, review, missed -----

    fn practice(&mut self, mut s: Session) -> Io<u8> {
        let total = s.len();
        loop {
            let index = s.current();
            let Some(item) = s.current_item().cloned() else {
                break;
            };
            self.show_question(&s, &item, index)?;
            let response = match self.read_response(&item, false)? {
                Input::Response(r) => r,
                Input::Stop => {
                    s.stop((self.clock)());
                    let t = s.tally();
                    writeln!(
                        self.out,
                        "\nStopped after {} of {total} questions: {} right. Your answers are kept.",
                        t.total, t.right
                    )?;
                    return self.farewell();
                }
                Input::Command(_) => continue,
            };
            match s.answer(response, (self.clock)()) {
                Ok(Answered::Checked { correct, record }) => {
                    self.save_answers(std::slice::from_ref(&record))?;
                    self.feedback(&item, correct)?;
                }
                Ok(Answered::Kept) => {}
                Err(e) => {
                    writeln!(self.out, "{}.", capitalise(&e.to_string()))?;
                    continue;
                }
            }
            if !s.next((self.clock)()) {
                break;
            }
        }
        let t = s.tally();
        writeln!(
            self.out,
            "\nDone: {} of {} right ({}%).",
            t.right,
            t.total,
            t.percent()
        )?;
        self.farewell()
    }

    fn feedback(&mut self, item: &Item, correct: bool) -> Io<()> {
        if correct {
            writeln!(self.out, "Right.")?;
        } else {
            let right = self.describe(item, &item.right_response());
            writeln!(self.out, "Not right. The answer: {right}")?;
        }
        self.explain(item)
    }

    fn explain(&mut self, item: &Item) -> Io<()> {
        let q = &item.question;
        let text = format!("Why: {}", self.plain(&q.explanation));
        self.para(&text)?;
        if let Some(p) = &q.policy {
            let text = format!("Policy engine: {}", p.explanation);
            self.para(&text)?;
        }
        if let Some(src) = &q.source {
            writeln!(self.out, "Source: {src}")?;
        }
        Ok(())
    }

    fn farewell(&mut self) -> Io<u8> {
        let now = (self.clock)();
        if let Ok(loaded) = self.store.load(now) {
            let home = loaded.progress.quiz.home(self.pack, now);
            writeln!(
                self.out,
                "Due for review today: {}. Missed (wrong last time): {}.",
                home.due_today, home.missed
            )?;
        }
        Ok(EXIT_OK)
    }

    // ----- exam -----

    fn exam(&mut self, mut s: Session) -> Io<u8> {
        let last = s.len().saturating_sub(1);
        let mut show = true;
        let mut confirm_submit = false;
        loop {
            match s.check_timer((self.clock)()) {
                Some(TimerEvent::Warning { remaining }) => {
                    writeln!(
                        self.out,
                        "\nWarning: {} left. The exam is submitted automatically when time runs out.",
                        clock_text(remaining)
                    )?;
                }
                Some(TimerEvent::TimeUp) => {
                    writeln!(
                        self.out,
                        "\nTime is up: the exam was submitted automatically."
                    )?;
                    break;
                }
                None => {}
            }
            if s.end().is_some() {
                break;
            }
            let index = s.current();
            let Some(item) = s.current_item().cloned() else {
                break;
            };
            if show {
                self.show_question(&s, &item, index)?;
                if let Some(g) = s.given(index) {
                    let text = self.describe(&item, &g.response);
                    writeln!(self.out, "Your answer so far: {text}")?;
                }
            }
            show = true;
            let input = self.read_response(&item, true)?;
            let now = (self.clock)();
            if !matches!(input, Input::Command(Command::Submit)) {
                confirm_submit = false;
            }
            match input {
                Input::Stop => {
                    let kept = s.stop(now);
                    self.save_answers(&kept)?;
                    let kept_text = match kept.len() {
                        0 => "You gave no answers".to_string(),
                        1 => "Your 1 answer is kept in your history".to_string(),
                        n => format!("Your {n} answers are kept in your history"),
                    };
                    writeln!(
                        self.out,
                        "\nStopped. {kept_text}; no exam score was recorded because the exam was not submitted."
                    )?;
                    return self.farewell();
                }
                Input::Response(r) => match s.answer(r, now) {
                    Ok(_) => {
                        if index < last {
                            s.next(now);
                        } else {
                            self.grid(&s)?;
                            writeln!(
                                self.out,
                                "That was the last question. Type s to submit, or g N to go back to question N."
                            )?;
                        }
                    }
                    Err(quiz::AnswerError::TimeUp) => {
                        writeln!(
                            self.out,
                            "\nTime is up: that answer came too late, and the exam was submitted automatically."
                        )?;
                    }
                    Err(e) => writeln!(self.out, "{}.", capitalise(&e.to_string()))?,
                },
                Input::Command(Command::Next) => {
                    if !s.next(now) {
                        self.grid(&s)?;
                        writeln!(
                            self.out,
                            "This is the last question. Type s to submit, or g N to go back to question N."
                        )?;
                    }
                }
                Input::Command(Command::Prev) => {
                    if !s.prev(now) {
                        writeln!(self.out, "This is the first question.")?;
                    }
                }
                Input::Command(Command::Go(n)) => {
                    if n == 0 || n > s.len() {
                        writeln!(
                            self.out,
                            "There is no question {n}; the exam has {}.",
                            s.len()
                        )?;
                        show = false;
                    } else {
                        s.go_to(n - 1, now);
                    }
                }
                Input::Command(Command::Flag) => {
                    s.toggle_flag(index);
                    let state = if s.is_flagged(index) {
                        "flagged for review"
                    } else {
                        "no longer flagged"
                    };
                    writeln!(self.out, "Question {} is {state}.", index + 1)?;
                    show = false;
                }
                Input::Command(Command::Grid) => {
                    self.grid(&s)?;
                    show = false;
                }
                Input::Command(Command::Submit) => {
                    let open = s.unanswered();
                    if open > 0 && !confirm_submit {
                        let what = if open == 1 {
                            "1 question is".to_string()
                        } else {
                            format!("{open} questions are")
                        };
                        writeln!(
                            self.out,
                            "{what} unanswered and will count as wrong. Type s again to submit."
                        )?;
                        confirm_submit = true;
                        show = false;
                    } else {
                        s.submit(now);
                        break;
                    }
                }
            }
        }
        let Some(sub) = s.submission() else {
            return Ok(EXIT_OK);
        };
        self.save_answers(&sub.answers)?;
        let exam = sub.exam.clone();
        self.save(&mut |p| p.quiz.record_exam(exam.clone()))?;
        self.report(&s, &sub.report)?;
        self.farewell()
    }

    fn grid(&mut self, s: &Session) -> Io<()> {
        let cells = s.grid();
        let list = |f: &dyn Fn(&quiz::Cell) -> bool| -> String {
            let nums: Vec<usize> = cells.iter().filter(|c| f(c)).map(|c| c.index + 1).collect();
            if nums.is_empty() {
                "none".to_string()
            } else {
                ranges(&nums)
            }
        };
        writeln!(self.out, "\nReview grid:")?;
        writeln!(self.out, "  Answered: {}", list(&|c| c.answered))?;
        writeln!(self.out, "  Unanswered: {}", list(&|c| !c.answered))?;
        writeln!(self.out, "  Flagged: {}", list(&|c| c.flagged))?;
        Ok(())
    }

    fn report(&mut self, s: &Session, r: &ExamReport) -> Io<()> {
        let verdict = if r.passed { "PASS" } else { "FAIL" };
        writeln!(self.out, "\nScore report")?;
        writeln!(
            self.out,
            "Score: {} of {} right ({}%). Pass mark {}%: {verdict}.",
            r.score.right,
            r.score.total,
            r.percent(),
            r.pass_mark
        )?;
        let how = if r.auto_submitted {
            "time ran out"
        } else {
            "submitted"
        };
        writeln!(self.out, "Time used: {} ({how}).", clock_text(r.seconds))?;
        if r.unanswered > 0 {
            writeln!(self.out, "Unanswered: {}.", r.unanswered)?;
        }
        writeln!(self.out, "\nBy objective:")?;
        for o in &r.objectives {
            let text = format!(
                "  {:>5} {:>4}%  {}",
                format!("{}/{}", o.tally.right, o.tally.total),
                o.tally.percent(),
                o.title
            );
            self.para(&text)?;
        }
        writeln!(self.out, "\nYour answers:")?;
        for e in &r.entries {
            let Some(item) = s.items().get(e.index) else {
                continue;
            };
            let mark = if e.correct { "right" } else { "wrong" };
            let flag = if e.flagged { ", flagged" } else { "" };
            writeln!(
                self.out,
                "\n{}. [{mark}{flag}] {}",
                e.index + 1,
                item.question.id
            )?;
            let prompt = format!("   {}", self.plain(&item.question.prompt));
            self.para(&prompt)?;
            let given = match &e.given {
                Some(g) => self.describe(item, g),
                None => "(no answer)".to_string(),
            };
            writeln!(self.out, "   Your answer: {given}")?;
            if !e.correct {
                let right = self.describe(item, &e.right);
                writeln!(self.out, "   Right answer: {right}")?;
            }
            let why = format!("   Why: {}", self.plain(&item.question.explanation));
            self.para(&why)?;
            if let Some(src) = &item.question.source {
                writeln!(self.out, "   Source: {src}")?;
            }
        }
        Ok(())
    }

    // ----- shared -----

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
                if q.ask_reason {
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

    /// Reads until a valid answer, a command or the end.
    fn read_response(&mut self, item: &Item, exam: bool) -> Io<Input> {
        let q = &item.question;
        let n = item.order.len();
        loop {
            let prompt = match q.kind {
                QuestionKind::Policy => "Answer (allow or deny): ".to_string(),
                _ => format!(
                    "Answer ({}-{} or 1-{n}): ",
                    letter(0),
                    letter(n.saturating_sub(1))
                ),
            };
            let line = match self.read(&prompt)? {
                Line::End => return Ok(Input::Stop),
                Line::Text(t) => t,
            };
            let t = line.trim().to_ascii_lowercase();
            if t == "q" || t == "quit" {
                return Ok(Input::Stop);
            }
            if t.is_empty() {
                continue;
            }
            if exam && let Some(c) = parse_command(&t) {
                return Ok(Input::Command(c));
            }
            if q.kind == QuestionKind::Policy {
                if t == "v" || t == "view" {
                    self.show_scenario(item)?;
                    continue;
                }
                match self.read_policy(item, &t)? {
                    Some(input) => return Ok(input),
                    None => continue,
                }
            }
            match parse_choices(&t, n) {
                Some(shown) => {
                    let r = Response::Choices(shown);
                    match item.validate(&r) {
                        Ok(()) => return Ok(Input::Response(r)),
                        Err(e) => writeln!(self.out, "{}.", capitalise(&e.to_string()))?,
                    }
                }
                None => {
                    let more = if q.kind == QuestionKind::Multiple {
                        format!(", {} of them (a,c or 1 3)", q.pick)
                    } else {
                        String::new()
                    };
                    writeln!(
                        self.out,
                        "Please answer with a letter {}-{} or a number 1-{n}{more}; q stops.",
                        letter(0),
                        letter(n.saturating_sub(1))
                    )?;
                }
            }
        }
    }

    /// Parses a policy answer, asking for the reason when needed. `None`:
    /// not understood (a message was printed; ask again).
    fn read_policy(&mut self, item: &Item, first: &str) -> Io<Option<Input>> {
        let mut words = first.split_whitespace();
        let verdict = match words.next() {
            Some("allow" | "a" | "allowed") => Verdict::Allow,
            Some("deny" | "d" | "denied") => Verdict::Deny,
            _ => {
                writeln!(self.out, "Please answer allow or deny; q stops.")?;
                return Ok(None);
            }
        };
        let rest: Vec<&str> = words.collect();
        if verdict == Verdict::Allow || !item.question.ask_reason {
            return Ok(Some(Input::Response(Response::Policy {
                verdict,
                reason: None,
            })));
        }
        let mut reason_text = rest.join(" ");
        loop {
            if reason_text.is_empty() {
                writeln!(self.out, "Why is it denied?")?;
                for (i, r) in DENY_REASONS.iter().enumerate() {
                    writeln!(self.out, "  {}) {}", i + 1, reason_label(*r))?;
                }
                reason_text = match self.read(&format!("Reason (1-{}): ", DENY_REASONS.len()))? {
                    Line::End => return Ok(Some(Input::Stop)),
                    Line::Text(t) => t.trim().to_ascii_lowercase(),
                };
                if reason_text == "q" {
                    return Ok(Some(Input::Stop));
                }
            }
            if let Some(reason) = parse_reason(&reason_text) {
                return Ok(Some(Input::Response(Response::Policy {
                    verdict,
                    reason: Some(reason),
                })));
            }
            writeln!(
                self.out,
                "Please give the reason's number 1-{} (or its name, such as implicit_deny).",
                DENY_REASONS.len()
            )?;
            reason_text.clear();
        }
    }

    fn show_scenario(&mut self, item: &Item) -> Io<()> {
        let scenario = item
            .question
            .scenario
            .as_ref()
            .and_then(|name| self.pack.scenarios.get(name));
        match scenario {
            Some(file) => {
                writeln!(self.out, "--- {} ---", file.path)?;
                write!(self.out, "{}", file.text)?;
                if !file.text.ends_with('\n') {
                    writeln!(self.out)?;
                }
                writeln!(self.out, "--- end of scenario ---")
            }
            None => writeln!(self.out, "This question has no scenario file."),
        }
    }

    /// An answer in words, choice texts without markup.
    fn describe(&self, item: &Item, response: &Response) -> String {
        describe_with(item, response, &|c| self.plain(c))
    }

    fn read(&mut self, prompt: &str) -> Io<Line> {
        write!(self.out, "{prompt}")?;
        self.out.flush()?;
        let mut line = String::new();
        if self.input.read_line(&mut line)? == 0 {
            writeln!(self.out)?;
            return Ok(Line::End);
        }
        if self.options.echo {
            writeln!(self.out, "{}", line.trim_end())?;
        } else {
            // The terminal echoed the line and its Enter.
            self.out.raw_col = false;
        }
        Ok(Line::Text(line))
    }

    fn save_answers(&mut self, records: &[AnswerRecord]) -> Io<()> {
        if records.is_empty() {
            return Ok(());
        }
        self.save(&mut |p| {
            for r in records {
                p.quiz.record_answer(r.clone());
            }
        })
    }

    fn save(&mut self, change: &mut dyn FnMut(&mut crate::core::progress::Progress)) -> Io<()> {
        if let Err(e) = self.store.update((self.clock)(), change)
            && !self.save_failed
        {
            self.save_failed = true;
            writeln!(
                self.err,
                "warning: your answers cannot be saved ({e}); the quiz goes on without saving"
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

enum Input {
    Response(Response),
    Command(Command),
    Stop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    Next,
    Prev,
    Go(usize),
    Flag,
    Grid,
    Submit,
}

fn parse_command(t: &str) -> Option<Command> {
    match t {
        "n" | "next" => Some(Command::Next),
        "p" | "prev" | "previous" => Some(Command::Prev),
        "f" | "flag" => Some(Command::Flag),
        "r" | "review" | "grid" => Some(Command::Grid),
        "s" | "submit" => Some(Command::Submit),
        _ => {
            let rest = t.strip_prefix("g ").or_else(|| t.strip_prefix("go "))?;
            rest.trim().parse().ok().map(Command::Go)
        }
    }
}

/// `a`, `b,d`, `a c`, `ac`, `1`, `2 4`, `1,3` → 0-based shown positions.
/// `None` if anything is not a choice of `n`.
pub fn parse_choices(text: &str, n: usize) -> Option<Vec<usize>> {
    let mut picked = Vec::new();
    for token in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        if let Ok(num) = token.parse::<usize>() {
            if num == 0 || num > n {
                return None;
            }
            picked.push(num - 1);
        } else if token.chars().all(|c| c.is_ascii_lowercase()) {
            for c in token.chars() {
                let i = usize::from(u8::try_from(c).ok()? - b'a');
                if i >= n {
                    return None;
                }
                picked.push(i);
            }
        } else {
            return None;
        }
    }
    (!picked.is_empty()).then_some(picked)
}

/// A reason by its number in [`DENY_REASONS`] (1-based), its code
/// (`implicit_deny`) or its first word (`implicit`).
pub fn parse_reason(text: &str) -> Option<Reason> {
    let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    if let Ok(n) = t.parse::<usize>() {
        return n.checked_sub(1).and_then(|i| DENY_REASONS.get(i)).copied();
    }
    DENY_REASONS
        .iter()
        .find(|r| r.code() == t || r.code().split('_').next() == Some(t.as_str()))
        .copied()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The output, with each finished line wrapped at `width` (continuation
/// lines keep the line's indent, and list items `a) ...` hang under their
/// text). A prompt written without a newline goes out as is on `flush`,
/// and the rest of its line (the echoed answer) is not wrapped.
struct WrapOut<'a> {
    inner: &'a mut dyn Write,
    width: Option<usize>,
    line: String,
    raw_col: bool,
}

impl WrapOut<'_> {
    fn emit_line(&mut self) -> std::io::Result<()> {
        let line = std::mem::take(&mut self.line);
        match self.width {
            Some(width) if !self.raw_col => {
                let lead = line.len() - line.trim_start().len();
                let rest = &line[lead..];
                let marker = rest
                    .split_once(") ")
                    .filter(|(m, _)| {
                        !m.is_empty()
                            && m.len() <= 2
                            && m.chars().all(|c| c.is_ascii_alphanumeric())
                    })
                    .map_or(0, |(m, _)| m.len() + 2);
                let indent = " ".repeat(lead + marker);
                for l in wrap(&line, width, &indent) {
                    writeln!(self.inner, "{l}")?;
                }
            }
            _ => writeln!(self.inner, "{line}")?,
        }
        self.raw_col = false;
        Ok(())
    }
}

impl Write for WrapOut<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let mut parts = text.split('\n').peekable();
        while let Some(part) = parts.next() {
            self.line.push_str(part);
            if parts.peek().is_some() {
                self.emit_line()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            let partial = std::mem::take(&mut self.line);
            write!(self.inner, "{partial}")?;
            self.raw_col = true;
        }
        self.inner.flush()
    }
}

/// Greedy word wrap at single spaces (so leading spaces and aligned
/// columns survive); lines after the first start with `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut has_word = false;
    for (i, word) in text.split(' ').enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let len = line.chars().count();
        if !word.is_empty() && has_word && len + sep.len() + word.chars().count() > width {
            lines.push(line.trim_end().to_string());
            line = format!("{indent}{word}");
            continue;
        }
        line.push_str(sep);
        line.push_str(word);
        has_word |= !word.is_empty();
    }
    lines.push(line.trim_end().to_string());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_in_letters_numbers_and_lists() {
        assert_eq!(parse_choices("a", 4), Some(vec![0]));
        assert_eq!(parse_choices("3", 4), Some(vec![2]));
        assert_eq!(parse_choices("a,c", 4), Some(vec![0, 2]));
        assert_eq!(parse_choices("1 3", 4), Some(vec![0, 2]));
        assert_eq!(parse_choices("bd", 4), Some(vec![1, 3]));
        assert_eq!(parse_choices("e", 4), None);
        assert_eq!(parse_choices("0", 4), None);
        assert_eq!(parse_choices("5", 4), None);
        assert_eq!(parse_choices("a?", 4), None);
        assert_eq!(parse_choices(" , ", 4), None);
    }

    #[test]
    fn reasons_by_number_code_or_first_word() {
        assert_eq!(parse_reason("2"), Some(Reason::ImplicitDeny));
        assert_eq!(parse_reason("implicit_deny"), Some(Reason::ImplicitDeny));
        assert_eq!(
            parse_reason("not cross account"),
            Some(Reason::NotCrossAccount)
        );
        assert_eq!(parse_reason("explicit"), Some(Reason::ExplicitDeny));
        assert_eq!(parse_reason("6"), None);
        assert_eq!(parse_reason("allowed"), None);
    }

    #[test]
    fn grid_ranges_and_clock() {
        assert_eq!(ranges(&[1, 2, 3, 5, 7, 8]), "1-3, 5, 7-8");
        assert_eq!(ranges(&[4]), "4");
        assert_eq!(clock_text(1800), "30:00");
        assert_eq!(clock_text(119), "1:59");
        assert_eq!(clock_text(3725), "1:02:05");
    }

    #[test]
    fn output_wraps_lines_hangs_list_items_and_leaves_prompts_alone() {
        let mut sink = Vec::new();
        {
            let mut w = WrapOut {
                inner: &mut sink,
                width: Some(12),
                line: String::new(),
                raw_col: false,
            };
            let r = (|| -> std::io::Result<()> {
                writeln!(w, "one two three four")?;
                writeln!(w, "b) alpha beta gamma")?;
                write!(w, "Answer (a-d): ")?;
                w.flush()?;
                writeln!(w, "a,c")?;
                writeln!(w, "  indented words here")?;
                w.flush()
            })();
            assert!(r.is_ok());
        }
        assert_eq!(
            String::from_utf8_lossy(&sink),
            "one two\nthree four\nb) alpha\n   beta\n   gamma\nAnswer (a-d): a,c\n  indented\n  words here\n"
        );
    }

    #[test]
    fn wrapping_keeps_words_and_indents() {
        assert_eq!(
            wrap("a) one two three four", 10, "   "),
            vec!["a) one two", "   three", "   four"]
        );
        assert_eq!(wrap("", 10, ""), vec![""]);
        assert_eq!(wrap("   Why: a b", 8, "   "), vec!["   Why:", "   a b"]);
        assert_eq!(wrap("  1/2   50%  x", 40, ""), vec!["  1/2   50%  x"]);
    }
}
