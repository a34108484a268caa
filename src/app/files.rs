//! Writing files without ever leaving a half-written one behind (see [`crate::files`]).

pub use crate::files::write_atomically;
