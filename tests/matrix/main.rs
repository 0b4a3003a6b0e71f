//! The Matrix bot end to end: the real `muster` binary against a real
//! Synapse (installed from PyPI by `scripts/synapse-venv`). Outside CI, a
//! machine that cannot install Synapse skips these tests and says so. The
//! tests run one at a time (see `serial`). One test binary for the area
//! (cargo's `tests/testsuite` layout).

// Spawning matrix-sdk's `Client::sync` needs it (E0275 otherwise).
#![recursion_limit = "256"]

mod direct;
mod e2e;
mod encrypted;
mod failover;
mod reactions;
mod resilience;
mod restart;
mod rooms;
mod smoke;

#[path = "../support/matrix.rs"]
mod matrix;
#[path = "../support/muster_bin.rs"]
mod muster_bin;
#[path = "../support/serial.rs"]
mod serial;
#[path = "../support/synapse.rs"]
mod synapse;
