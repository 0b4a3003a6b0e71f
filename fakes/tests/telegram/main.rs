//! The Telegram fake over real HTTP, driven by a small reqwest client the
//! way teloxide drives the real API.

mod chats;
mod client;
mod faults;
mod limits;
mod messages;
mod polling;
