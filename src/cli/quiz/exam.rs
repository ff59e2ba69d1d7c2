//! The timed exam: answers kept until submitted, navigation commands, the
//! review grid and the score report.

use std::io::Write;

use super::input::{Command, Input};
use super::{Io, Plain, capitalise};
use crate::cli::exit;
use crate::core::progress::change::Change;
use crate::core::quiz::{self, ExamReport, Session, TimerEvent, clock_text, ranges};

/// What the exam loop does after one line of input.
enum Step {
    /// Ask again; `show` says whether to print the question first.
    Ask { show: bool },
    /// The exam ended (submitted, or time ran out).
    End,
    /// The learner stopped without submitting.
    Stopped,
}

impl Plain<'_> {
    /// Runs the exam until it is submitted, times out or is stopped.
    pub(super) fn exam(&mut self, mut s: Session) -> Io<u8> {
        self.open_draft(&s)?;
        let mut show = true;
        let mut confirm_submit = false;
        loop {
            if self.timer(&mut s)? || s.end().is_some() {
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
            let input = self.read_response(&item, true)?;
            let submitting = matches!(input, Input::Command(Command::Submit));
            match self.exam_step(&mut s, input, confirm_submit)? {
                Step::Ask { show: again } => show = again,
                Step::End => break,
                Step::Stopped => return self.farewell(),
            }
            // "s" twice in a row submits with questions unanswered.
            confirm_submit = submitting && !show;
        }
        self.finish(&s)
    }

    /// Prints the timer's warning or time-up notice; true when time is up.
    fn timer(&mut self, s: &mut Session) -> Io<bool> {
        match s.check_timer((self.clock)()) {
            Some(TimerEvent::Warning { remaining }) => {
                writeln!(
                    self.out,
                    "\nWarning: {} left. The exam is submitted automatically when time runs out.",
                    clock_text(remaining)
                )?;
                Ok(false)
            }
            Some(TimerEvent::TimeUp) => {
                writeln!(
                    self.out,
                    "\nTime is up: the exam was submitted automatically."
                )?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Acts on one line of exam input.
    fn exam_step(&mut self, s: &mut Session, input: Input, confirm_submit: bool) -> Io<Step> {
        let now = (self.clock)();
        let index = s.current();
        match input {
            Input::Stop => {
                self.stop_exam(s, now)?;
                Ok(Step::Stopped)
            }
            Input::Response(r) => {
                let answered = s.answer(r, now);
                if answered.is_ok() {
                    self.save_draft(s, now)?;
                }
                match answered {
                    Ok(_) if index + 1 < s.len() => {
                        s.next(now);
                    }
                    Ok(_) => {
                        self.grid(s)?;
                        writeln!(
                            self.out,
                            "That was the last question. Type s to submit, or g N to go back to question N."
                        )?;
                    }
                    Err(quiz::AnswerError::TimeUp) => writeln!(
                        self.out,
                        "\nTime is up: that answer came too late, and the exam was submitted automatically."
                    )?,
                    Err(e) => writeln!(self.out, "{}.", capitalise(&e.to_string()))?,
                }
                Ok(Step::Ask { show: true })
            }
            Input::Command(c) => self.exam_command(s, c, confirm_submit, now),
        }
    }

    /// Navigation, flags, the grid and submitting.
    fn exam_command(
        &mut self,
        s: &mut Session,
        command: Command,
        confirm_submit: bool,
        now: u64,
    ) -> Io<Step> {
        let index = s.current();
        match command {
            Command::Next => {
                if !s.next(now) {
                    self.grid(s)?;
                    writeln!(
                        self.out,
                        "This is the last question. Type s to submit, or g N to go back to question N."
                    )?;
                }
            }
            Command::Prev => {
                if !s.prev(now) {
                    writeln!(self.out, "This is the first question.")?;
                }
            }
            Command::Go(n) if n == 0 || n > s.len() => {
                writeln!(
                    self.out,
                    "There is no question {n}; the exam has {}.",
                    s.len()
                )?;
                return Ok(Step::Ask { show: false });
            }
            Command::Go(n) => {
                s.go_to(n - 1, now);
            }
            Command::Flag => {
                s.toggle_flag(index);
                let state = if s.is_flagged(index) {
                    "flagged for review"
                } else {
                    "no longer flagged"
                };
                writeln!(self.out, "Question {} is {state}.", index + 1)?;
                return Ok(Step::Ask { show: false });
            }
            Command::Grid => {
                self.grid(s)?;
                return Ok(Step::Ask { show: false });
            }
            Command::Submit => {
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
                    return Ok(Step::Ask { show: false });
                }
                s.submit(now);
                return Ok(Step::End);
            }
        }
        Ok(Step::Ask { show: true })
    }

    /// `q` in an exam: the answers given are kept, no score is recorded.
    fn stop_exam(&mut self, s: &mut Session, now: u64) -> Io<()> {
        let started_at = s.started_at();
        let kept = s.stop(now);
        // The answers into the history and the draft gone, in one save;
        // an exam is also kept as abandoned, for the instructor.
        match s.abandoned() {
            Some(exam) => self.save(&Change::QuizAbandoned {
                answers: kept.clone(),
                exam: Box::new(exam),
            })?,
            None => self.save(&Change::ExamKept {
                started_at,
                answers: kept.clone(),
            })?,
        }
        super::signals::exam_closed();
        let kept_text = match kept.len() {
            0 => "You gave no answers".to_string(),
            1 => "Your 1 answer is kept in your history".to_string(),
            n => format!("Your {n} answers are kept in your history"),
        };
        writeln!(
            self.out,
            "\nStopped. {kept_text}; no exam score was recorded because the exam was not submitted."
        )
    }

    /// After the exam ended: saves the answers and the score, then reports.
    fn finish(&mut self, s: &Session) -> Io<u8> {
        let Some(sub) = s.submission() else {
            return Ok(exit::OK);
        };
        // One save: the answers, the score, and the draft closed.
        self.save_all(&[
            Change::QuizAnswers(sub.answers.clone()),
            Change::QuizExam(Box::new(sub.exam.clone())),
        ])?;
        super::signals::exam_closed();
        self.report(s, &sub.report)?;
        self.farewell()
    }

    /// The exam starts: exams a killed process left open (their time is
    /// up) are settled into the history, the attempt is counted, and an empty draft is kept so
    /// a signal from now on keeps every answer.
    fn open_draft(&mut self, s: &Session) -> Io<()> {
        let mut changes = vec![Change::ExamSettled { started_at: None }];
        if let Some(seed) = s.seed() {
            changes.push(Change::ExamStarted { seed });
        }
        changes.push(Change::ExamDraft(Box::new(s.draft(s.started_at()))));
        self.save_all(&changes)?;
        super::signals::exam_opened(s.started_at());
        Ok(())
    }

    /// Saves the answers given so far, as `q` would keep them now.
    fn save_draft(&mut self, s: &Session, now: u64) -> Io<()> {
        self.save(&Change::ExamDraft(Box::new(s.draft(now))))
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
        if let Some(why) = s.review_hidden((self.clock)()) {
            writeln!(self.out, "\n{why}")?;
            return Ok(());
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_ranges_and_clock() {
        assert_eq!(ranges(&[1, 2, 3, 5, 7, 8]), "1-3, 5, 7-8");
        assert_eq!(ranges(&[4]), "4");
        assert_eq!(clock_text(1800), "30:00");
        assert_eq!(clock_text(119), "1:59");
        assert_eq!(clock_text(3725), "1:02:05");
    }
}
