//! Muster's organising core. It does no I/O: a chat line comes in as an
//! [`Inbound`](inbound::Inbound), is parsed into a typed command, authorised,
//! applied through the repository traits of [`store`] in one transaction, and
//! comes out as effects (replies, deliveries) for adapters to carry out.

pub mod clock;
pub mod command;
pub mod cron_schedule;
pub mod domain;
pub mod engine;
pub mod export;
pub mod gesture;
pub mod i18n;
pub mod inbound;
pub mod lease;
pub mod outbox;
pub mod parse;
pub mod scheduler;
pub mod store;
pub mod when;
