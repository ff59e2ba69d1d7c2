//! The app: the screen stack, the learner's progress, and the one place
//! shared state changes ([`App::update`]).

use std::time::Instant;

use crossterm::event::{Event, KeyEventKind};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::action::{Action, Change};
use super::keymap;
use super::screens::envelope::EnvelopeScreen;
use super::screens::glossary::GlossaryScreen;
use super::screens::help::HelpScreen;
use super::screens::home::HomeScreen;
use super::screens::lab::LabScreen;
use super::screens::lesson::LessonScreen;
use super::screens::quiz::QuizScreen;
use super::screens::quiz_report::QuizReportScreen;
use super::screens::quiz_setup::QuizSetupScreen;
use super::screens::{Ctx, EventResult, Screen};
use super::theme::Theme;
use crate::core::content::Pack;
use crate::core::progress::{Progress, ProgressStore};

mod sandbox;

/// The smallest terminal the layout is made for.
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// The state screens read.
struct Model {
    pack: Pack,
    progress: Progress,
    notices: Vec<String>,
    theme: Theme,
    ascii: bool,
    pack_label: String,
    progress_path: String,
    profile: Option<String>,
    clock: fn() -> u64,
}

impl Model {
    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            pack: &self.pack,
            progress: &self.progress,
            theme: &self.theme,
            ascii: self.ascii,
            notices: &self.notices,
            pack_label: &self.pack_label,
            progress_path: &self.progress_path,
            profile: self.profile.as_deref(),
            now: (self.clock)(),
        }
    }

    fn notice(&mut self, text: String) {
        if !self.notices.contains(&text) {
            self.notices.push(text);
        }
    }
}

/// How the app is set up.
pub struct Setup {
    /// The course.
    pub pack: Pack,
    /// Where the course comes from, as shown ("built-in" or a folder).
    pub pack_label: String,
    /// Where progress is kept.
    pub store: Box<dyn ProgressStore>,
    /// The progress file, as shown.
    pub progress_path: String,
    /// Styles (monochrome under `NO_COLOR`).
    pub theme: Theme,
    /// ASCII instead of box drawing and symbols.
    pub ascii: bool,
    /// The terminal size.
    pub area: Rect,
    /// Unix seconds now (tests pass a fixed clock); every clock read of
    /// the tutor goes through it.
    pub clock: fn() -> u64,
    /// The seed quizzes are built from (`--seed`); `None`: a new one each time.
    pub quiz_seed: Option<u64>,
    /// The seed of the envelope walkthrough's random bytes (keys, nonces);
    /// tests fix it so that the bytes on screen are the same every run.
    /// `None`: fresh randomness from the operating system.
    pub envelope_seed: Option<u64>,
    /// The learner's profile (`--profile`); `None`: the default one.
    pub profile: Option<String>,
}

/// See [`App::pending`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pending {
    /// A change to progress (a lesson's place, a lab's edits).
    pub progress: Option<Change>,
    /// A sandbox's file and its changed policies.
    pub sandbox: Option<(
        std::path::PathBuf,
        Vec<(crate::core::content::PolicyRef, String)>,
    )>,
}

/// The tutor.
pub struct App {
    model: Model,
    store: Box<dyn ProgressStore>,
    stack: Vec<Box<dyn Screen>>,
    area: Rect,
    /// Set when the learner quits.
    pub quit: bool,
    quiz_seed: Option<u64>,
    envelope_seed: Option<u64>,
    /// Text to hand to the terminal's clipboard before the next frame.
    clipboard: Option<String>,
    /// The terminal reports the mouse to us (off: it selects text itself).
    mouse: bool,
    /// The mouse setting changed: the event loop tells the terminal.
    mouse_changed: bool,
    /// Ctrl-Z was pressed: the event loop stops the process.
    suspend: bool,
}

impl App {
    /// Loads progress and shows the home screen. A progress file that
    /// could not be read becomes a notice on screen, never an error.
    pub fn new(setup: Setup) -> App {
        let Setup {
            pack,
            pack_label,
            mut store,
            progress_path,
            theme,
            ascii,
            area,
            clock,
            quiz_seed,
            envelope_seed,
            profile,
        } = setup;
        let mut notices = Vec::new();
        let mut progress = match store.load(clock()) {
            Ok(loaded) => {
                notices.extend(loaded.warnings.iter().map(ToString::to_string));
                loaded.progress
            }
            Err(e) => {
                notices.push(format!("Progress could not be loaded: {e}"));
                Progress::default()
            }
        };
        // A new learner's checkpoint shuffle seed: in memory until the
        // first checkpoint answer saves it (nothing is written just by
        // starting).
        progress
            .seed
            .get_or_insert_with(|| crate::core::quiz::learner_seed(clock()));
        // The move from SM-2 to FSRS is told once, and recorded as told.
        let review_notice = progress.quiz.pending_notice();
        notices.extend(review_notice.clone());
        let mut app = App {
            model: Model {
                pack,
                progress,
                notices,
                theme,
                ascii,
                pack_label,
                progress_path,
                profile,
                clock,
            },
            store,
            stack: vec![Box::new(HomeScreen::new())],
            area,
            quit: false,
            quiz_seed,
            envelope_seed,
            clipboard: None,
            mouse: true,
            mouse_changed: false,
            suspend: false,
        };
        if review_notice.is_some() {
            app.save(Change::ReviewNoticeShown);
        }
        app
    }

    /// Starts with mouse capture `on` or off (`KEYSHAKE_NO_MOUSE`).
    pub fn set_mouse(&mut self, on: bool) {
        self.mouse = on;
    }

    /// Whether the mouse is captured now.
    pub fn mouse(&self) -> bool {
        self.mouse
    }

    /// The new mouse setting if F10 changed it since the last call, for
    /// the event loop to turn capture on or off.
    pub fn take_mouse(&mut self) -> Option<bool> {
        std::mem::take(&mut self.mouse_changed).then_some(self.mouse)
    }

    /// Whether Ctrl-Z asked to stop the tutor since the last call.
    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend)
    }

    /// Text copied since the last call, for the terminal's clipboard (the
    /// event loop writes it as an OSC 52 sequence).
    pub fn take_clipboard(&mut self) -> Option<String> {
        self.clipboard.take()
    }

    /// Opens a generated drill over the course map (`keyshake drill` on a
    /// terminal).
    pub fn open_drill(&mut self, options: crate::core::drill::Options) {
        let seed = self.quiz_seed.unwrap_or(self.model.ctx().now % 1_000_000);
        self.stack
            .push(Box::new(super::screens::drill::DrillScreen::with_options(
                seed, options,
            )));
    }

    /// Opens the quiz setup over the course map with `settings` filled in
    /// (`keyshake quiz --mode exam --count 10 ...`).
    pub fn open_quiz_setup(&mut self, settings: &crate::core::quiz::Settings) {
        self.stack.push(Box::new(QuizSetupScreen::with_settings(
            settings,
            self.quiz_seed,
            &self.model.pack.objectives,
        )));
    }

    /// Shows `lab` (a [`crate::core::content::Lab::sandbox`] of the file at
    /// `path`) as the only screen: leaving it quits (`keyshake lab FILE`).
    pub fn open_sandbox(&mut self, lab: crate::core::content::Lab, path: std::path::PathBuf) {
        let screen = LabScreen::sandbox(lab, path.clone(), &self.model.ctx());
        self.stack.clear();
        self.push(Box::new(screen));
        self.offer_restore(&path);
    }

    /// What would be lost if the process ended now: the place or lab work
    /// quitting would save, and a sandbox's unsaved edits. The event loop
    /// hands it to the signal watcher after every event.
    pub fn pending(&self) -> Pending {
        let ctx = self.model.ctx();
        Pending {
            progress: self.stack.iter().rev().find_map(|s| s.position(&ctx)),
            sandbox: self.stack.iter().rev().find_map(|s| {
                let lab = s.as_ref().as_any().downcast_ref::<LabScreen>()?;
                let edits = lab.unsaved_edits();
                let path = lab.sandbox_path()?;
                (!edits.is_empty()).then(|| (path.to_path_buf(), edits))
            }),
        }
    }

    /// The progress as the app knows it (saved unless a notice says not).
    pub fn progress(&self) -> &Progress {
        &self.model.progress
    }

    /// Messages shown to the learner (moved-aside files, failed saves).
    pub fn notices(&self) -> &[String] {
        &self.model.notices
    }

    /// The top screen's id.
    pub fn screen(&self) -> keymap::ScreenId {
        self.stack.last().map_or(keymap::ScreenId::Home, |s| s.id())
    }

    /// The topmost open screen of type `T` (for tests and the bench):
    /// `app.find::<LabScreen>()`.
    pub fn find<T: Screen + 'static>(&self) -> Option<&T> {
        self.stack
            .iter()
            .rev()
            .find_map(|s| s.as_ref().as_any().downcast_ref::<T>())
    }

    /// The topmost open screen of type `T`, mutably.
    pub fn find_mut<T: Screen + 'static>(&mut self) -> Option<&mut T> {
        self.stack
            .iter_mut()
            .rev()
            .find_map(|s| s.as_mut().as_any_mut().downcast_mut::<T>())
    }

    /// Puts the course map's cursor on `row` (tests and the bench say
    /// which row they mean instead of counting key presses); `false` if
    /// the map is not open or has no such row.
    pub fn select(&mut self, row: super::screens::home::Row) -> bool {
        let ctx = self.model.ctx();
        self.stack.iter_mut().rev().any(|s| {
            s.as_mut()
                .as_any_mut()
                .downcast_mut::<HomeScreen>()
                .is_some_and(|h| h.select(row, &ctx))
        })
    }

    /// The keys of the top screen as it is now.
    fn keymap(&self) -> &'static keymap::Keymap {
        self.stack
            .last()
            .map_or_else(|| keymap::keymap(self.screen()), |s| s.keymap())
    }

    /// Does the work screens deferred while keys were queued; returns
    /// whether anything changed. The event loop calls it once the queued
    /// input is handled, before drawing.
    pub fn settle(&mut self) -> bool {
        let ctx = self.model.ctx();
        let mut emitted = Vec::new();
        let mut changed = false;
        for s in &mut self.stack {
            match s.settle(&ctx) {
                EventResult::Ignored => {}
                EventResult::Changed => changed = true,
                EventResult::Emit(actions) => {
                    changed = true;
                    emitted.extend(actions);
                }
            }
        }
        for a in emitted {
            self.update(a);
        }
        changed
    }

    /// Opens the drill screen with `options`, missed and due drills first.
    fn open_drill_reviewing(&mut self, options: crate::core::drill::Options) -> bool {
        let now = self.model.ctx().now;
        let seed = self.quiz_seed.unwrap_or(now % 1_000_000);
        // Drills on one misconception ask that one only.
        let review = match &options.misconception {
            Some(_) => Vec::new(),
            None => crate::core::drill::review(&self.model.progress.quiz, now),
        };
        self.push(Box::new(super::screens::drill::DrillScreen::reviewing(
            seed, options, review,
        )));
        true
    }

    /// The next moment a screen wants a tick (`None`: sleep until input).
    pub fn deadline(&self) -> Option<Instant> {
        self.stack.iter().filter_map(|s| s.deadline()).min()
    }

    /// A deadline passed: every screen that asked for it gets a
    /// [`Action::Tick`] (the exam timer); then redraw.
    pub fn tick(&mut self) -> bool {
        let mut emitted = Vec::new();
        let ctx = self.model.ctx();
        for s in &mut self.stack {
            if s.deadline().is_some()
                && let EventResult::Emit(actions) = s.on_action(Action::Tick, &ctx)
            {
                emitted.extend(actions);
            }
        }
        for a in emitted {
            self.update(a);
        }
        true
    }

    fn too_small(&self) -> bool {
        self.area.width < MIN_SIZE.0 || self.area.height < MIN_SIZE.1
    }

    /// Handles a terminal event and settles deferred work (see
    /// [`App::settle`]); returns whether the screen must be drawn. Only key
    /// presses count (not releases or repeats reported as such).
    pub fn handle(&mut self, event: Event) -> bool {
        let changed = self.handle_queued(event);
        self.settle() || changed
    }

    /// Handles a terminal event that more queued events follow: work a
    /// screen defers (the lab's re-check after an edit) waits for
    /// [`App::settle`], so a burst of keys costs it once.
    pub fn handle_queued(&mut self, event: Event) -> bool {
        match event {
            Event::Key(key) if key.kind == KeyEventKind::Press => match self.keymap().map(key) {
                Some(action) if !self.too_small() || action == Action::Quit => self.update(action),
                Some(Action::Back) => self.update(Action::Quit),
                _ => false,
            },
            Event::Mouse(m) if !self.too_small() => match keymap::mouse(m) {
                Some(action) => self.update(action),
                None => false,
            },
            // A bracketed paste arrives in one piece; the lab takes it, and
            // the walkthrough's file path field.
            Event::Paste(text)
                if !self.too_small()
                    && matches!(
                        self.screen(),
                        keymap::ScreenId::Lab
                            | keymap::ScreenId::LabEditor
                            | keymap::ScreenId::EnvelopeFile
                    ) =>
            {
                self.update(Action::Paste(text))
            }
            Event::Resize(w, h) => {
                self.resize(Rect::new(0, 0, w, h));
                true
            }
            _ => false,
        }
    }

    /// The terminal is now `area`: every screen reflows.
    pub fn resize(&mut self, area: Rect) {
        self.area = area;
        let ctx = self.model.ctx();
        for s in &mut self.stack {
            s.resize(area, &ctx);
        }
    }

    /// Applies one action; returns whether the screen must be drawn.
    pub fn update(&mut self, action: Action) -> bool {
        // Anything but an edit sees the edits made so far re-checked.
        if !matches!(action, Action::Edit(_) | Action::Paste(_)) {
            self.settle();
        }
        match action {
            Action::Quit => {
                if let Some(i) = self.stack.iter().rposition(|s| s.guards_quit()) {
                    // Close what is over it (help, glossary) so the
                    // question is seen, then let it ask.
                    self.stack.truncate(i + 1);
                    return self.route(Action::Quit);
                }
                let ctx = self.model.ctx();
                let place = self.stack.iter().rev().find_map(|s| s.position(&ctx));
                if let Some(change) = place {
                    self.save(change);
                }
                self.quit = true;
                true
            }
            Action::Close => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                    let ctx = self.model.ctx();
                    let emitted = match self.stack.last_mut() {
                        Some(top) => top.uncovered(&ctx),
                        None => Vec::new(),
                    };
                    for a in emitted {
                        self.update(a);
                    }
                } else {
                    self.quit = true;
                }
                true
            }
            Action::Help => self.toggle_help(),
            Action::Glossary => {
                if self.screen() != keymap::ScreenId::Glossary {
                    self.stack.push(Box::new(GlossaryScreen::new()));
                }
                true
            }
            Action::GlossaryTerm(id) => {
                let Some(screen) = GlossaryScreen::showing(&id, &self.model.pack) else {
                    return false;
                };
                self.stack.push(Box::new(screen));
                true
            }
            Action::OpenLesson {
                lesson,
                section,
                scroll,
            } => {
                let ctx = self.model.ctx();
                let Some((screen, emit)) =
                    LessonScreen::open(&lesson, section.as_deref(), scroll, self.area, &ctx)
                else {
                    return false;
                };
                if self.screen() == keymap::ScreenId::Lesson {
                    self.stack.pop();
                }
                self.stack.push(Box::new(screen));
                for a in emit {
                    self.update(a);
                }
                true
            }
            Action::OpenLab(id) => {
                let ctx = self.model.ctx();
                let Some(screen) = LabScreen::open(&id, &ctx) else {
                    return false;
                };
                self.stack.push(Box::new(screen));
                true
            }
            Action::Walkthrough => {
                // It runs in its lab's scenario: a course without that lab
                // has no walkthrough.
                if self
                    .model
                    .pack
                    .lab(super::screens::envelope::LAB_ID)
                    .is_none()
                {
                    return false;
                }
                self.push(Box::new(EnvelopeScreen::new(self.envelope_seed)));
                true
            }
            Action::Save(change) => {
                self.save(change);
                true
            }
            Action::QuizWith(settings) => {
                self.open_quiz_setup(&settings);
                true
            }
            Action::Mastery => {
                self.push(Box::new(crate::tui::screens::mastery::MasteryScreen::new()));
                true
            }
            Action::Drill => self.open_drill_reviewing(crate::core::drill::Options {
                level: 1,
                ..Default::default()
            }),
            Action::DrillOn { misconception } => {
                self.open_drill_reviewing(crate::core::drill::Options {
                    level: 1,
                    objective: None,
                    misconception: Some(misconception),
                })
            }
            Action::DrillLab { id, text } => {
                let Ok(mut lab) = crate::core::content::Lab::sandbox(&id, &text) else {
                    return false;
                };
                lab.id = id;
                let ctx = self.model.ctx();
                let screen = LabScreen::in_memory(lab, &ctx);
                self.stack.push(Box::new(screen));
                true
            }
            Action::QuizSetup(mode) => {
                self.stack
                    .push(Box::new(QuizSetupScreen::new(mode, self.quiz_seed)));
                true
            }
            Action::StartQuiz(session) => {
                if self.screen() == keymap::ScreenId::QuizSetup {
                    self.stack.pop();
                }
                if session.mode() == crate::core::quiz::Mode::Exam {
                    // Answers a killed exam left as a draft go to the
                    // history; the attempt is counted.
                    self.save(Change::ExamSettled { started_at: None });
                    if let Some(seed) = session.seed() {
                        self.save(Change::ExamStarted { seed });
                    }
                }
                self.push(Box::new(QuizScreen::new(*session)));
                true
            }
            Action::QuizReport(session) => {
                // The exam may end under an overlay (time up while help is
                // open): the report replaces the exam and what is above it.
                if let Some(i) = self
                    .stack
                    .iter()
                    .position(|s| s.id() == keymap::ScreenId::Quiz)
                {
                    self.stack.truncate(i);
                }
                self.push(Box::new(QuizReportScreen::new(*session)));
                true
            }
            Action::SaveSandbox { path, edits, then } => self.save_sandbox(&path, &edits, then),
            Action::Resolve(resolve, then) => self.resolve(resolve, then),
            Action::Clipboard(text) => {
                self.clipboard = Some(text);
                false
            }
            Action::ToggleMouse => {
                self.mouse = !self.mouse;
                self.mouse_changed = true;
                true
            }
            Action::Suspend => {
                self.suspend = true;
                false
            }
            other => self.route(other),
        }
    }

    /// Opens the help overlay over the top screen, or closes it.
    fn toggle_help(&mut self) -> bool {
        if self.screen() == keymap::ScreenId::Help {
            self.stack.pop();
            return true;
        }
        let keys = self.keymap();
        self.stack.push(Box::new(HelpScreen::new(keys)));
        true
    }

    /// Hands `action` to the top screen and applies what it emits.
    fn route(&mut self, action: Action) -> bool {
        let ctx = self.model.ctx();
        let Some(top) = self.stack.last_mut() else {
            return false;
        };
        match top.on_action(action, &ctx) {
            EventResult::Ignored => false,
            EventResult::Changed => true,
            EventResult::Emit(actions) => {
                for a in actions {
                    self.update(a);
                }
                true
            }
        }
    }

    /// Pushes a screen laid out for the current size.
    fn push(&mut self, mut screen: Box<dyn Screen>) {
        screen.resize(self.area, &self.model.ctx());
        self.stack.push(screen);
    }

    /// Saves a change through the store (lock, re-read, apply, write). If
    /// saving fails the change still applies in memory and the learner is
    /// told, once, on screen.
    fn save(&mut self, change: Change) {
        // A drill's lab lives in memory only.
        if let Change::LabWork { lab, .. }
        | Change::LabSolved { lab }
        | Change::LabReset { lab }
        | Change::LabHint { lab, .. }
        | Change::LabSolutionShown { lab } = &change
            && lab.starts_with(crate::core::drill::LAB_PREFIX)
        {
            return;
        }
        let now = (self.model.clock)();
        let pack = &self.model.pack;
        let mut apply = |p: &mut Progress| change.apply(p, pack, now);
        match self.store.update(now, &mut apply) {
            Ok(loaded) => {
                let seed = self.model.progress.seed;
                self.model.progress = loaded.progress;
                if self.model.progress.seed.is_none() {
                    self.model.progress.seed = seed;
                }
                for w in loaded.warnings {
                    self.model.notice(w.to_string());
                }
            }
            Err(e) => {
                apply(&mut self.model.progress);
                self.model.notice(format!("Progress not saved: {e}"));
            }
        }
    }

    /// Draws the app into a frame.
    pub fn render(&self, frame: &mut Frame) {
        self.draw(frame.area(), frame.buffer_mut());
    }

    /// Draws the app into a buffer (the top screen, over the screen below
    /// it when it is an overlay).
    pub fn draw(&self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
            let text = format!(
                "terminal too small (need {}x{}, have {}x{})\n\nEnlarge the window, or press q to quit.",
                MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
            );
            let y = area.height / 2 - area.height.min(3) / 2;
            Paragraph::new(text)
                .style(self.model.theme.warn)
                .centered()
                .wrap(Wrap { trim: true })
                .render(
                    Rect::new(area.x, area.y + y, area.width, area.height - y),
                    buf,
                );
            return;
        }
        let ctx = self.model.ctx();
        let base = self
            .stack
            .iter()
            .rposition(|s| !s.is_overlay())
            .unwrap_or(0);
        for s in &self.stack[base..] {
            s.render(area, buf, &ctx);
        }
        inert(area, buf);
    }
}

/// A cell holding an emoji joined by U+200D (👩‍👩‍👧) or with a skin-tone
/// modifier: terminals disagree on its width (one glyph, or one per part),
/// and a terminal that draws the parts leaves fragments behind when the
/// screen scrolls. The cell keeps its first emoji, which is two columns
/// everywhere, as the layout counted.
fn joined_emoji_base(symbol: &str) -> Option<String> {
    let joiner = |c: char| c == '\u{200d}' || ('\u{1f3fb}'..='\u{1f3ff}').contains(&c);
    if !symbol.chars().skip(1).any(joiner) {
        return None;
    }
    let base: String = symbol.chars().take_while(|c| !joiner(*c)).collect();
    // A variation selector after the base is kept (it asks for emoji style).
    Some(if base.is_empty() { " ".into() } else { base })
}

/// The last line of defence for untrusted text (packs, scenario files,
/// progress, file names): whatever a screen drew, no cell reaches the
/// terminal holding a control character, an escape sequence's start, a C1
/// control or a bidi override. Each is shown in one column, as its control
/// picture (`ESC` as `␛`) or as `�`, so the layout does not move.
fn inert(area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let Some(cell) = buf.cell_mut((x, y)) else {
                continue;
            };
            if let Some(first) = joined_emoji_base(cell.symbol()) {
                cell.set_symbol(&first);
            }
            if !cell.symbol().chars().any(crate::core::text::is_unsafe) {
                continue;
            }
            let unsafe_char = crate::core::text::is_unsafe;
            // A zero-width override inside a cluster is dropped; a cell
            // that is nothing but a control shows its picture.
            let kept: String = cell.symbol().chars().filter(|c| !unsafe_char(*c)).collect();
            let shown = match (kept.is_empty(), cell.symbol().chars().next()) {
                (false, _) => kept,
                (true, Some(c)) => match u32::from(c) {
                    code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
                    0x7f => '\u{2421}',
                    _ => '\u{fffd}',
                }
                .to_string(),
                (true, None) => " ".to_string(),
            };
            cell.set_symbol(&shown);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_joined_emoji_keeps_its_first_part_in_a_two_column_cell() {
        let family = "\u{1f469}\u{200d}\u{1f469}\u{200d}\u{1f467}\u{200d}\u{1f466}";
        let wave = "\u{1f44b}\u{1f3fd}";
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        buf.set_string(
            0,
            0,
            format!("a{family}b{wave}c"),
            ratatui::style::Style::default(),
        );
        inert(buf.area, &mut buf);
        let shown: String = buf.content().iter().map(|c| c.symbol()).collect();
        assert!(!shown.contains('\u{200d}'), "{shown:?}");
        assert!(!shown.contains('\u{1f3fd}'), "{shown:?}");
        assert!(shown.starts_with("a\u{1f469}"), "{shown:?}");
        // The letters after each emoji stay where the layout put them.
        assert_eq!(buf[(3, 0)].symbol(), "b");
        assert_eq!(buf[(6, 0)].symbol(), "c");
        assert_eq!(joined_emoji_base("\u{1f600}"), None);
        assert_eq!(joined_emoji_base("e\u{301}"), None);
    }
}
