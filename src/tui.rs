//! The terminal user interface (feature `tui`).
