//! The engine through its public API, on real SQLite (and PostgreSQL where
//! a test says so) with a mock clock: the organising flows, capacity under
//! concurrency, exactly-once handling, the scheduler, the outbox and its
//! faults, leases, export and import. One test binary for the area, as in
//! cargo's own `tests/testsuite`: one link instead of one per file.

mod capacity;
mod catchup;
mod common;
mod export_import;
mod first_hour;
mod flows;
mod handled_once;
mod lease;
mod outbox_faults;
mod outgoing;
mod scheduler;
mod scheduler_concurrency;
