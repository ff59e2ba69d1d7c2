//! Evaluation of one request against a world, with a trace.
