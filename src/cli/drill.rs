//! `keyshake drill`: engine-generated drills in line mode (`--plain`, and
//! whenever the tutor is not opened) or as JSON (`--json`). Each drill is a
//! small generated world and questions about it; every answer is saved to
//! progress under `drill:<misconception-id>`, as quiz answers are, so a
//! missed misconception comes back first in the next drill without a seed.

use std::io::{BufRead, Write};

use super::quiz::{parse_choices, parse_reason};
use super::{CliError, Context, exit};
use crate::core::content::Pack;
use crate::core::drill::{self, Answer, Drill, Kind, Options, Question};
use crate::core::progress::change::Change;
use crate::core::progress::{FileStore, ProgressStore, data_dir};
use crate::core::quiz::AnswerRecord;
use crate::core::quiz::labels::{letter, reason_label};
use crate::core::world::Verdict;

/// The most drills one run makes.
pub const MAX_COUNT: u64 = 10_000;

/// `keyshake drill` options.
#[derive(Debug, Clone, clap::Args)]
pub struct DrillArgs {
    /// Line mode over stdin/stdout (for screen readers, pipes and scripts);
    /// without it, on a terminal, the full-screen drill opens.
    #[arg(long)]
    pub plain: bool,
    /// Generate from this seed: the same seed gives the same drills on
    /// every machine (drill N of a run uses seed + N - 1).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// How many drills (1 to 10000).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub count: u64,
    /// Only misconceptions of this objective.
    #[arg(long, value_name = "ID")]
    pub objective: Option<String>,
    /// 1: two accounts, no decoys; 2: a third account and decoy
    /// statements; 3: more decoys and a second key.
    #[arg(long, value_name = "1|2|3", default_value_t = 1,
          value_parser = clap::value_parser!(u8).range(1..=3))]
    pub level: u8,
    /// Print the drills as one JSON document (world, questions, choices,
    /// answers, misconception) instead of asking them.
    #[arg(long)]
    pub json: bool,
}

/// Runs `keyshake drill`.
pub fn command(
    args: &DrillArgs,
    ctx: &mut Context<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    if args.count == 0 || args.count > MAX_COUNT {
        return Err(CliError::usage(format!(
            "keyshake drill: --count must be between 1 and {MAX_COUNT}"
        )));
    }
    let options = Options {
        level: args.level,
        objective: args.objective.clone(),
        misconception: None,
    };
    drill::candidates(&options).map_err(|e| {
        let known: Vec<&str> = {
            let mut v: Vec<&str> = drill::CATALOG.iter().map(|m| m.objective).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        CliError::usage(format!(
            "keyshake drill: {e}; objectives with drills: {}",
            known.join(", ")
        ))
    })?;
    let clock = ctx.clock;
    let seed = args
        .seed
        .unwrap_or_else(|| crate::core::quiz::fresh_seed(clock()));
    if args.json {
        let mut drills = Vec::new();
        for i in 0..args.count {
            let d = make(seed.wrapping_add(i), &options)?;
            drills.push(drill::json::to_json(&d));
        }
        let doc = serde_json::json!({ "drills": drills });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        super::emit(out, format!("{text}\n").as_bytes());
        return Ok(exit::OK);
    }
    let pack = super::load_pack(ctx.content)?;
    let mut store = FileStore::new(data_dir(ctx.data_dir).map_err(CliError::data)?);
    let mut plain = Plain {
        pack: &pack,
        store: &mut store,
        input: ctx.input,
        out,
        err,
        echo: !ctx.stdin_is_terminal,
        now: clock().as_secs(),
        save_failed: false,
    };
    plain.run(args, seed, &options)
}

fn make(seed: u64, options: &Options) -> Result<Drill, CliError> {
    drill::generate(seed, options).map_err(|e| CliError::failed(format!("keyshake drill: {e}")))
}

type Io<T> = std::io::Result<T>;

struct Plain<'a> {
    pack: &'a Pack,
    store: &'a mut dyn ProgressStore,
    input: &'a mut dyn BufRead,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    echo: bool,
    now: u64,
    save_failed: bool,
}

/// What the learner gave for one drill.
#[derive(Default)]
struct Given {
    verdict: Option<(Verdict, Option<crate::core::world::Reason>)>,
    chosen: Vec<usize>,
    right: bool,
    answered: usize,
    stopped: bool,
}

impl Plain<'_> {
    fn run(&mut self, args: &DrillArgs, seed: u64, options: &Options) -> Result<u8, CliError> {
        let loaded = self.store.load(self.now).map_err(CliError::data)?;
        for w in &loaded.warnings {
            writeln!(self.err, "warning: {w}")?;
        }
        let review = if args.seed.is_none() && args.objective.is_none() {
            drill::review(&loaded.progress.quiz, self.now)
        } else {
            Vec::new()
        };
        let n = args.count;
        writeln!(
            self.out,
            "keyshake drill: {n} generated {}, level {}: each is a small world and questions about it, decided by the policy engine.",
            if n == 1 { "drill" } else { "drills" },
            options.level
        )?;
        if args.seed.is_none() {
            writeln!(
                self.out,
                "To take these same drills again, add --seed {seed}."
            )?;
        }
        writeln!(
            self.out,
            "Answer allow or deny, then the reason by number; choices by letter or number. Type q to stop; your answers so far are kept."
        )?;
        let started = self.now;
        let mut right = 0;
        let mut done = 0;
        for i in 0..n {
            let mut o = options.clone();
            if let Some(id) = review.get(usize::try_from(i).unwrap_or(usize::MAX)) {
                o.misconception = Some((*id).to_string());
            }
            let d = make(seed.wrapping_add(i), &o)?;
            writeln!(self.out, "\nDrill {} of {n}", i + 1)?;
            let given = self.drill(&d)?;
            if given.answered > 0 {
                self.record(&d, &given, started)?;
                done += 1;
                right += usize::from(given.right);
            }
            if given.stopped {
                break;
            }
        }
        writeln!(self.out, "\nDrills answered: {done}; all right: {right}.")?;
        self.out.flush()?;
        Ok(exit::OK)
    }

    fn drill(&mut self, d: &Drill) -> Result<Given, CliError> {
        let objective = self
            .pack
            .objective(d.misconception.objective)
            .map_or(d.misconception.objective.to_string(), |o| o.title.clone());
        writeln!(self.out, "Objective: {objective}")?;
        writeln!(self.out, "The world, as a scenario file:")?;
        writeln!(self.out, "----")?;
        write!(self.out, "{}", d.world.toml(None))?;
        writeln!(self.out, "----")?;
        let mut given = Given {
            right: true,
            ..Given::default()
        };
        for (i, q) in d.questions.iter().enumerate() {
            writeln!(
                self.out,
                "\nQuestion {} of {}: {}",
                i + 1,
                d.questions.len(),
                q.stem
            )?;
            let answer = match q.kind {
                Kind::Verdict => self.ask_verdict(q)?,
                _ => self.ask_choice(q)?,
            };
            let Some(answer) = answer else {
                given.stopped = true;
                break;
            };
            given.answered += 1;
            let ok = q.check(&answer);
            given.right &= ok;
            match &answer {
                Answer::Verdict(v, r) => {
                    given.verdict = Some((*v, (*v == Verdict::Deny).then_some(*r)));
                }
                Answer::Choice(c) => given.chosen.push(*c),
            }
            self.feedback(d, q, &answer, ok)?;
        }
        if given.answered == d.questions.len() {
            if d.questions.len() > 1 {
                writeln!(self.out, "\nThe engine's explanation: {}", d.explanation)?;
            }
            writeln!(
                self.out,
                "What this drill shows: {}",
                d.misconception.lesson
            )?;
        }
        Ok(given)
    }

    fn ask_verdict(&mut self, q: &Question) -> Io<Option<Answer>> {
        loop {
            writeln!(self.out, "Answer allow or deny.")?;
            let Some(line) = self.read()? else {
                return Ok(None);
            };
            let mut parts = line.splitn(2, char::is_whitespace);
            let word = parts.next().unwrap_or("").to_ascii_lowercase();
            let rest = parts.next().unwrap_or("").trim().to_string();
            match word.as_str() {
                "q" | "quit" => return Ok(None),
                "allow" | "a" => {
                    return Ok(Some(Answer::Verdict(
                        Verdict::Allow,
                        crate::core::world::Reason::Allowed,
                    )));
                }
                "deny" | "d" => {
                    let mut reason = parse_reason(&rest);
                    while reason.is_none() {
                        writeln!(self.out, "Why is it denied?")?;
                        for (i, c) in q.choices.iter().enumerate() {
                            writeln!(self.out, "{}) {c}", i + 1)?;
                        }
                        let Some(line) = self.read()? else {
                            return Ok(None);
                        };
                        if line.trim() == "q" {
                            return Ok(None);
                        }
                        reason = parse_reason(&line);
                    }
                    if let Some(r) = reason {
                        return Ok(Some(Answer::Verdict(Verdict::Deny, r)));
                    }
                }
                _ => writeln!(self.out, "Please answer allow or deny (or q to stop).")?,
            }
        }
    }

    fn ask_choice(&mut self, q: &Question) -> Io<Option<Answer>> {
        loop {
            for (i, c) in q.choices.iter().enumerate() {
                writeln!(self.out, "{}) {c}", letter(i))?;
            }
            writeln!(self.out, "Choose one.")?;
            let Some(line) = self.read()? else {
                return Ok(None);
            };
            if line.trim() == "q" {
                return Ok(None);
            }
            match parse_choices(&line, q.choices.len()) {
                Some(picked) if picked.len() == 1 => return Ok(Some(Answer::Choice(picked[0]))),
                _ => writeln!(
                    self.out,
                    "Please answer with one letter or number (or q to stop)."
                )?,
            }
        }
    }

    fn feedback(&mut self, d: &Drill, q: &Question, given: &Answer, ok: bool) -> Io<()> {
        let head = if ok { "Right." } else { "Not quite." };
        match (&q.answer, given) {
            (Answer::Verdict(v, r), _) => {
                let what = if *v == Verdict::Allow {
                    "ALLOW".to_string()
                } else {
                    format!("DENY ({})", reason_label(*r))
                };
                // The engine's sentence says what to change: it waits until
                // the questions about that are answered.
                if d.questions.len() == 1 {
                    writeln!(self.out, "{head} The engine says {what}. {}", d.explanation)?;
                } else {
                    writeln!(self.out, "{head} The engine says {what}.")?;
                }
            }
            (Answer::Choice(right), Answer::Choice(c)) => {
                let said = q.feedback.get(*c).cloned().unwrap_or_default();
                writeln!(self.out, "{head} {said}")?;
                if !ok {
                    let why = q.feedback.get(*right).cloned().unwrap_or_default();
                    writeln!(self.out, "The answer is {}): {why}", letter(*right))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn record(&mut self, d: &Drill, g: &Given, started: u64) -> Io<()> {
        let mut extra = serde_json::Map::new();
        extra.insert("drill_seed".into(), d.seed.into());
        extra.insert("drill_level".into(), d.level.into());
        let record = AnswerRecord {
            question: d.progress_id(),
            at: self.now,
            mode: "drill".into(),
            chosen: g.chosen.clone(),
            verdict: g.verdict.map(|(v, _)| v.code().to_string()),
            reason: g.verdict.and_then(|(_, r)| r).map(|r| r.code().to_string()),
            correct: g.right,
            quiz_started: Some(started),
            unanswered: false,
            seconds: 0,
            extra,
        };
        let change = Change::QuizAnswers(vec![record]);
        let (now, pack) = (self.now, self.pack);
        let mut apply = |p: &mut crate::core::progress::Progress| change.apply(p, pack, now);
        if let Err(e) = self.store.update(now, &mut apply)
            && !self.save_failed
        {
            self.save_failed = true;
            writeln!(
                self.err,
                "warning: your answers cannot be saved right now ({e}); saving is tried again after each drill"
            )?;
        }
        Ok(())
    }

    fn read(&mut self) -> Io<Option<String>> {
        write!(self.out, "> ")?;
        self.out.flush()?;
        let mut line = String::new();
        if self.input.read_line(&mut line)? == 0 {
            writeln!(self.out)?;
            return Ok(None);
        }
        let line = line.trim_end_matches(['\n', '\r']).to_string();
        if self.echo {
            writeln!(self.out, "{line}")?;
        }
        Ok(Some(line))
    }
}
