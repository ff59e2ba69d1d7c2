//! Pieces of screens that lay out text themselves: word wrap, lesson
//! bodies, step-through diagrams.

pub mod class_chart;
pub mod diagram;
pub mod markup;
pub mod question;
pub mod scroll;
pub mod text;
pub mod wrap;
