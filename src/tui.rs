//! The terminal user interface (feature `tui`).

pub mod theme;
pub mod widgets;
