//! Shared by the TUI tests: an app on the built-in course with progress in
//! memory and a fixed clock, keys written as a short macro string, and the
//! screen as text.
#![allow(dead_code)]

use keyshake::core::content::Pack;
use keyshake::core::progress::{MemStore, Progress, ProgressStore};
use keyshake::core::quiz::Mode;
use keyshake::tui::app::{App, Setup};
use keyshake::tui::screens::home::Row;
use keyshake::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

pub const NOW: u64 = 1_800_000_000;

fn clock() -> u64 {
    NOW
}

pub fn pack() -> Pack {
    crate::builtin_pack()
}

/// A store that remembers every saved progress, shared with the test.
#[derive(Clone, Default)]
pub struct SharedStore(pub std::rc::Rc<std::cell::RefCell<MemStore>>);

impl ProgressStore for SharedStore {
    fn load(
        &mut self,
        now: u64,
    ) -> Result<keyshake::core::progress::Loaded, keyshake::core::progress::StoreError> {
        self.0.borrow_mut().load(now)
    }
    fn update(
        &mut self,
        now: u64,
        change: &mut dyn FnMut(&mut Progress),
    ) -> Result<keyshake::core::progress::Loaded, keyshake::core::progress::StoreError> {
        self.0.borrow_mut().update(now, change)
    }
}

/// The setup of [`app_with`], for a test that changes a field (a seed).
pub fn setup(w: u16, h: u16, color: bool, store: Box<dyn ProgressStore>) -> Setup {
    Setup {
        pack: pack(),
        pack_label: "built-in".into(),
        store,
        progress_path: "/home/learner/.local/share/keyshake/progress.json".into(),
        theme: Theme::new(color),
        ascii: false,
        area: Rect::new(0, 0, w, h),
        clock,
        quiz_seed: None,
        envelope_seed: None,
        profile: None,
    }
}

pub fn app_with(w: u16, h: u16, color: bool, store: Box<dyn ProgressStore>) -> App {
    App::new(setup(w, h, color, store))
}

/// An app drawing ASCII only and no colour (`--ascii`, `NO_COLOR`).
pub fn ascii_app(w: u16, h: u16) -> App {
    App::new(Setup {
        pack: pack(),
        pack_label: "built-in".into(),
        store: Box::new(MemStore::default()),
        progress_path: "/home/learner/.local/share/keyshake/progress.json".into(),
        theme: Theme::new(false),
        ascii: true,
        area: Rect::new(0, 0, w, h),
        clock,
        quiz_seed: None,
        envelope_seed: None,
        profile: None,
    })
}

pub fn app(w: u16, h: u16) -> App {
    app_with(w, h, true, Box::new(MemStore::default()))
}

/// The course map's row named `what`: `lesson:ID`, `lab:ID`, `quiz:MODE`,
/// `walkthrough`, `mastery` or `continue`.
pub fn row(what: &str) -> Row {
    let p = pack();
    let (kind, id) = what.split_once(':').unwrap_or((what, ""));
    let found = match kind {
        "lesson" => p.lessons.iter().position(|l| l.id == id).map(Row::Lesson),
        "lab" => p.labs.iter().position(|l| l.id == id).map(Row::Lab),
        "quiz" => Mode::from_name(id).map(Row::Quiz),
        "walkthrough" => Some(Row::Walkthrough),
        "drill" => Some(Row::Drill),
        "continue" => Some(Row::Continue),
        "mastery" => Some(Row::Mastery),
        _ => None,
    };
    found.unwrap_or_else(|| panic!("no row {what} on the course map"))
}

/// Puts the course map's cursor on the row named `what` (see [`row`]).
pub fn select(app: &mut App, what: &str) {
    assert!(app.select(row(what)), "the course map is not open");
}

/// Feeds keys: plain characters, `<name>` for `ret esc tab btab up down
/// left right pgup pgdn home end bs c-c`, `<sel:ROW>` to put the course
/// map's cursor on a row by id ([`row`]), or `<tab-to:diagram>` (or
/// `checkpoint`, `link`) to Tab to the next one in a lesson.
pub fn keys(app: &mut App, macro_: &str) {
    let mut chars = macro_.chars();
    while let Some(c) = chars.next() {
        let (code, mods) = if c == '<' {
            let name: String = chars.by_ref().take_while(|c| *c != '>').collect();
            if let Some(what) = name.strip_prefix("sel:") {
                select(app, what);
                continue;
            }
            if let Some(what) = name.strip_prefix("tab-to:") {
                tab_to(app, what);
                continue;
            }
            match name.as_str() {
                "ret" => (KeyCode::Enter, KeyModifiers::NONE),
                "esc" => (KeyCode::Esc, KeyModifiers::NONE),
                "tab" => (KeyCode::Tab, KeyModifiers::NONE),
                "btab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                "up" => (KeyCode::Up, KeyModifiers::NONE),
                "down" => (KeyCode::Down, KeyModifiers::NONE),
                "left" => (KeyCode::Left, KeyModifiers::NONE),
                "right" => (KeyCode::Right, KeyModifiers::NONE),
                "pgup" => (KeyCode::PageUp, KeyModifiers::NONE),
                "pgdn" => (KeyCode::PageDown, KeyModifiers::NONE),
                "home" => (KeyCode::Home, KeyModifiers::NONE),
                "end" => (KeyCode::End, KeyModifiers::NONE),
                "bs" => (KeyCode::Backspace, KeyModifiers::NONE),
                "lt" => (KeyCode::Char('<'), KeyModifiers::NONE),
                "c-c" => (KeyCode::Char('c'), KeyModifiers::CONTROL),
                other => panic!("unknown key <{other}>"),
            }
        } else {
            (KeyCode::Char(c), KeyModifiers::NONE)
        };
        app.handle(Event::Key(KeyEvent::new(code, mods)));
    }
}

/// In a lesson, presses Tab until the next `diagram`, `checkpoint` or
/// `link` (after the one focused now) has the focus.
pub fn tab_to(app: &mut App, what: &str) {
    use keyshake::tui::screens::lesson::{Focus, LessonScreen};
    let focus = |app: &App| app.find::<LessonScreen>().and_then(LessonScreen::focus);
    for _ in 0..200 {
        app.handle(Event::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
        let hit = matches!(
            (what, focus(app)),
            ("diagram", Some(Focus::Diagram(_)))
                | ("checkpoint", Some(Focus::Checkpoint(_)))
                | ("link", Some(Focus::Link(_)))
        );
        if hit {
            return;
        }
    }
    panic!("Tab never reached a {what}");
}

pub fn terminal(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap_or_else(|e| panic!("{e}"));
    t.draw(|f| app.render(f)).unwrap_or_else(|e| panic!("{e}"));
    t
}

/// The screen as lines of text.
pub fn screen_text(app: &App, w: u16, h: u16) -> String {
    let t = terminal(app, w, h);
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Finds the cell where `needle` starts on screen.
pub fn find(t: &Terminal<TestBackend>, needle: &str) -> Option<(u16, u16)> {
    let buf = t.backend().buffer();
    let area = buf.area;
    for y in 0..area.height {
        let mut line = String::new();
        let mut xs = Vec::new();
        for x in 0..area.width {
            let s = buf[(x, y)].symbol();
            for _ in s.chars() {
                xs.push(x);
            }
            line.push_str(s);
        }
        if let Some(byte) = line.find(needle) {
            let idx = line[..byte].chars().count();
            return Some((xs[idx], y));
        }
    }
    None
}
