//! The simulation thread: commands in, snapshots out, over bounded channels.
