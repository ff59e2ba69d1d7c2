//! Practice, review and missed: each answer checked at once.

use std::io::Write;

use super::input::Input;
use super::{Io, Plain, capitalise};
use crate::core::quiz::{Answered, Item, Session};

impl Plain<'_> {
    pub(super) fn practice(&mut self, mut s: Session) -> Io<u8> {
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

    pub(super) fn feedback(&mut self, item: &Item, correct: bool) -> Io<()> {
        if correct {
            writeln!(self.out, "Right.")?;
        } else {
            let right = self.describe(item, &item.right_response());
            writeln!(self.out, "Not right. The answer: {right}")?;
        }
        self.explain(item)
    }

    pub(super) fn explain(&mut self, item: &Item) -> Io<()> {
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
}
