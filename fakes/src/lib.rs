//! Fakes of the chat platforms' HTTP APIs for Muster's tests: real servers
//! on 127.0.0.1 that a real client library talks to, answering as the
//! platform would — its envelopes and error texts, long polling, flood
//! control, migrations and blocked users — while the test plays the people
//! on the other side, scripts network faults and reads back what the bot did.
//!
//! One module per platform: [`telegram`] fakes the Bot API for teloxide.

pub mod telegram;
