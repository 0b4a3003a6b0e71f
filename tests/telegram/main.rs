//! The Telegram bot end to end: the real `muster` binary against a fake of
//! the Bot API (`muster-fakes`) that keeps Telegram's envelopes, error texts
//! and flood control. The tests run one at a time (see `serial`). One test
//! binary for the area (cargo's `tests/testsuite` layout).

// The `serial` guard is held across awaits on purpose: each test has a
// runtime of its own, and the guard only keeps two tests from running at
// once.
#![allow(clippy::await_holding_lock)]

mod common;
mod e2e;
mod resilience;
mod rooms;
mod webhook;

#[path = "../support/muster_bin.rs"]
mod muster_bin;
#[path = "../support/serial.rs"]
mod serial;
