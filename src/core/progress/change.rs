//! One change to the learner's progress, as data. The TUI's screens emit
//! these, the app saves them through the progress store, and the signal
//! watcher saves the pending one on SIGTERM: all of them through
//! [`Change::apply`], so a new variant cannot be applied in one place and
//! silently dropped in another.

use super::Progress;
use crate::core::content::Pack;

/// A change to progress, as a front end asks for it; [`Change::apply`]
/// makes it (inside the store's update, or in memory when saving failed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A section was opened: mark it seen and remember the place.
    Visit {
        /// Lesson id.
        lesson: String,
        /// Section id.
        section: String,
        /// Scroll offset in lines.
        scroll: u32,
    },
    /// Remember the place (leaving a lesson, quitting).
    Position {
        /// Lesson id.
        lesson: String,
        /// Section id.
        section: String,
        /// Scroll offset in lines.
        scroll: u32,
    },
    /// A section was read to the end and its checkpoints answered.
    Completed {
        /// Lesson id.
        lesson: String,
        /// Section id.
        section: String,
    },
    /// A checkpoint was answered.
    Answered {
        /// Checkpoint id.
        id: String,
        /// Chosen 0-based indexes.
        chosen: Vec<usize>,
        /// Whether the answer is right.
        correct: bool,
        /// The learner seed its choices were shuffled with; kept in
        /// progress unless one is there already.
        seed: Option<u64>,
    },
    /// The learner's current texts of a lab's editable policies.
    LabWork {
        /// Lab id.
        lab: String,
        /// (policy name as written in the lab, text).
        policies: Vec<(String, String)>,
    },
    /// Every goal of a lab is met.
    LabSolved {
        /// Lab id.
        lab: String,
    },
    /// One more hint of a lab was revealed.
    LabHint {
        /// Lab id.
        lab: String,
        /// How many hints the lab has.
        available: u32,
    },
    /// The lab's last hint level, its verified fix, was shown.
    LabSolutionShown {
        /// Lab id.
        lab: String,
    },
    /// The learner turned the guided setting on or off.
    Guided(bool),
    /// The lab's policies went back to their starting texts.
    LabReset {
        /// Lab id.
        lab: String,
    },
    /// A walkthrough was finished (its last step succeeded).
    WalkthroughDone {
        /// Walkthrough id (`envelope`).
        id: String,
    },
    /// Quiz answers to add to the history (and the review schedule).
    QuizAnswers(Vec<crate::core::quiz::AnswerRecord>),
    /// A submitted exam's result.
    QuizExam(Box<crate::core::quiz::ExamRecord>),
    /// An exam started with this seed (counted for the attempt limit).
    ExamStarted {
        /// The seed.
        seed: u64,
    },
    /// An exam's answers so far, saved as each is given.
    ExamDraft(Box<crate::core::quiz::attempts::OpenExam>),
    /// The exam started then was submitted or stopped: its draft goes.
    ExamClosed {
        /// When it started.
        started_at: u64,
    },
    /// An exam was stopped (`q`, or a signal in the TUI): `answers` go to
    /// the history and its draft goes, in one save.
    ExamKept {
        /// When the exam started.
        started_at: u64,
        /// The answers kept, as [`Session::stop`](crate::core::quiz::Session::stop) gives them.
        answers: Vec<crate::core::quiz::AnswerRecord>,
    },
    /// The process is ending mid-exam (a signal): the draft's answers are
    /// kept in the history, as `q` keeps them. `None`: every open exam
    /// whose time is up (left behind by a process that was killed).
    ExamSettled {
        /// When the exam started.
        started_at: Option<u64>,
    },
    /// An exam left without submitting (`q`, or the terminal closing):
    /// the answers given so far go into the history, and the exam is kept
    /// as abandoned for the instructor.
    QuizAbandoned {
        /// The answers given so far.
        answers: Vec<crate::core::quiz::AnswerRecord>,
        /// The exam, with `abandoned` set.
        exam: Box<crate::core::quiz::ExamRecord>,
    },
    /// The one-time notice about the move to FSRS was shown.
    ReviewNoticeShown,
    /// The learner's review settings: desired retention (`None`: 0.9) and
    /// exam day (`None`: no exam date).
    ReviewSettings {
        /// Desired retention in hundredths, 70 to 97.
        retention: Option<u32>,
        /// The exam's UTC day.
        exam_day: Option<u64>,
    },
}

impl Change {
    /// Makes this change to `progress` at Unix time `now` (`pack` says
    /// which sections make a lesson complete).
    pub fn apply(&self, progress: &mut Progress, pack: &Pack, now: u64) {
        let p = progress;
        // The first change saved with a pack names it in the file.
        p.stamp_pack(pack, now);
        match self {
            Change::Visit {
                lesson,
                section,
                scroll,
            } => {
                p.mark_seen(lesson, Some(section), now);
                p.set_position(lesson, Some(section), *scroll);
            }
            Change::Position {
                lesson,
                section,
                scroll,
            } => p.set_position(lesson, Some(section), *scroll),
            Change::Completed { lesson, section } => p.complete_section(pack, lesson, section, now),
            Change::Answered {
                id,
                chosen,
                correct,
                seed,
            } => {
                if let Some(seed) = seed {
                    p.seed.get_or_insert(*seed);
                }
                p.record_checkpoint(id, chosen, *correct, now);
            }
            Change::LabWork { lab, policies } => p.save_lab_work(lab, policies, now),
            Change::LabSolved { lab } => p.mark_lab_solved(lab, now),
            Change::LabHint { lab, available } => {
                p.reveal_hint(lab, *available, now);
            }
            Change::LabSolutionShown { lab } => p.show_solution(lab, now),
            Change::Guided(on) => p.guided = *on,
            Change::LabReset { lab } => p.reset_lab(lab),
            Change::WalkthroughDone { id } => p.complete_walkthrough(id, now),
            Change::QuizAnswers(records) => {
                for r in records {
                    p.quiz.record_answer(r.clone());
                }
            }
            Change::QuizExam(exam) => {
                p.quiz.close_open_exam(exam.started_at);
                p.quiz.record_exam((**exam).clone());
            }
            Change::ExamStarted { seed } => p.quiz.count_attempt(*seed),
            Change::ExamDraft(draft) => p.quiz.save_open_exam((**draft).clone()),
            Change::ExamClosed { started_at } => p.quiz.close_open_exam(*started_at),
            Change::ExamKept {
                started_at,
                answers,
            } => {
                p.quiz.close_open_exam(*started_at);
                for r in answers {
                    p.quiz.record_answer(r.clone());
                }
            }
            Change::ExamSettled { started_at } => {
                p.quiz.settle_open_exams(*started_at, now);
            }
            Change::QuizAbandoned { answers, exam } => {
                p.quiz.close_open_exam(exam.started_at);
                for r in answers {
                    p.quiz.record_answer(r.clone());
                }
                p.quiz.abandoned.push((**exam).clone());
            }
            Change::ReviewNoticeShown => {
                if let Some(m) = p.quiz.migration.as_mut() {
                    m.noticed = true;
                }
            }
            Change::ReviewSettings {
                retention,
                exam_day,
            } => {
                p.quiz.retention = retention.map(|r| r as f32 / 100.0);
                p.quiz.exam_day = *exam_day;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_and_lab_work_land_in_progress() {
        let pack = Pack::builtin().expect("built-in course");
        let mut p = Progress::default();
        Change::Position {
            lesson: "welcome".into(),
            section: "s".into(),
            scroll: 4,
        }
        .apply(&mut p, &pack, 10);
        let pos = p.last.as_ref().expect("the place is kept");
        assert_eq!((pos.lesson.as_str(), pos.scroll), ("welcome", 4));
        Change::LabWork {
            lab: "l".into(),
            policies: vec![("key".into(), "{}".into())],
        }
        .apply(&mut p, &pack, 11);
        assert_eq!(p.labs.get("l").map(|l| l.policies.len()), Some(1));
        Change::WalkthroughDone {
            id: "envelope".into(),
        }
        .apply(&mut p, &pack, 12);
        assert!(p.walkthroughs.contains_key("envelope"));
    }
}
