//! The `muster` binary as an operator runs it: the commands and their
//! errors, crashes and restarts, several processes on one PostgreSQL
//! database. One test binary for the area (cargo's `tests/testsuite`
//! layout).

mod cli;
mod crash_restart;
mod postgres_processes;
mod secrets;
#[path = "../support/serial.rs"]
mod serial;
