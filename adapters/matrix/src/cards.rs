//! Event cards in Matrix rooms, and reactions to them as RSVPs.
//!
//! A card carries the Muster event number in its content
//! (`org.muster.event`), so a reaction names its event by the card it
//! reacts to, whatever process posted the card. The adapter remembers, in
//! the SDK's own store beside the session (never Muster's database):
//! - the last card of each event in each room, which a change of counts
//!   edits in place (`m.replace`) instead of posting anew;
//! - each RSVP reaction (its card and answer), because a removal is a
//!   redaction that no longer says what it removed;
//! - each member's RSVP reactions on a card, newest last: their answer is
//!   their newest remaining reaction, and with none left they withdraw.

use matrix_sdk::ruma::api::client::room::get_room_event;
use matrix_sdk::ruma::{EventId, OwnedEventId, RoomId};
use matrix_sdk::{Client, Room};
use muster_core::domain::RsvpAnswer;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::time::Duration;

/// How long reading a card from the server may take.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The content field naming a card's Muster event.
pub const CARD_FIELD: &str = "org.muster.event";

/// The RSVP answer a reaction key stands for (emoji with or without their
/// variation selector).
pub fn answer_of(key: &str) -> Option<RsvpAnswer> {
    match key.trim_end_matches('\u{fe0f}') {
        "✅" | "✔" | "☑" | "👍" => Some(RsvpAnswer::Yes),
        "❔" | "❓" | "🤔" => Some(RsvpAnswer::Maybe),
        "❌" | "✖" | "👎" => Some(RsvpAnswer::No),
        _ => None,
    }
}

/// The content of a new card.
pub fn card_content(event: i64, plain: &str, html: &str) -> Value {
    json!({
        "msgtype": "m.notice",
        "body": plain,
        "format": "org.matrix.custom.html",
        "formatted_body": html,
        CARD_FIELD: event,
    })
}

/// The content of an edit of `card`.
pub fn edit_content(card: &EventId, event: i64, plain: &str, html: &str) -> Value {
    json!({
        "msgtype": "m.notice",
        "body": format!("* {plain}"),
        "format": "org.matrix.custom.html",
        "formatted_body": format!("* {html}"),
        "m.new_content": card_content(event, plain, html),
        "m.relates_to": {"rel_type": "m.replace", "event_id": card},
    })
}

/// The Muster event a card of the bot's stands for; `None` if the event is
/// not one of the bot's cards. Cards this store posted are known; others
/// (posted by another device of the bot) are read from the server.
pub async fn event_of_card(client: &Client, room: &Room, card: &EventId) -> Option<i64> {
    if let Some(event) = Book::new(client).event_of(card).await {
        return Some(event);
    }
    // Not `Room::event`: it may wait on the sync this runs within.
    let request = get_room_event::v3::Request::new(room.room_id().to_owned(), card.to_owned());
    let response = match tokio::time::timeout(READ_TIMEOUT, client.send(request)).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => {
            tracing::debug!(%card, error = %e, "cannot read the event a reaction is to");
            return None;
        }
        Err(_) => return None,
    };
    let raw = response.event;
    let sender: String = raw.get_field("sender").ok().flatten()?;
    if Some(sender.as_str()) != client.user_id().map(|u| u.as_str()) {
        return None;
    }
    let content: Value = raw.get_field("content").ok().flatten()?;
    content[CARD_FIELD].as_i64()
}

/// A reaction the bot took as an RSVP.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reaction {
    pub card: OwnedEventId,
    pub event: i64,
    pub sender: String,
    pub answer: String,
}

/// What the adapter remembers, in the SDK's store.
pub struct Book<'a> {
    client: &'a Client,
}

impl<'a> Book<'a> {
    pub fn new(client: &'a Client) -> Self {
        Book { client }
    }

    async fn get<T: for<'de> Deserialize<'de>>(&self, key: String) -> Option<T> {
        let bytes = self
            .client
            .state_store()
            .get_custom_value(key.as_bytes())
            .await
            .ok()
            .flatten()?;
        serde_json::from_slice(&bytes).ok()
    }

    async fn put<T: Serialize>(&self, key: String, value: &T) {
        let Ok(bytes) = serde_json::to_vec(value) else {
            return;
        };
        if let Err(e) = self
            .client
            .state_store()
            .set_custom_value_no_read(key.as_bytes(), bytes)
            .await
        {
            tracing::warn!(error = %e, key, "cannot remember a card or reaction");
        }
    }

    /// The card of `event` in `room` that updates edit.
    pub async fn card(&self, room: &RoomId, event: i64) -> Option<OwnedEventId> {
        self.get(format!("muster-card:{room}:{event}")).await
    }

    pub async fn set_card(&self, room: &RoomId, event: i64, card: &EventId) {
        self.put(format!("muster-card:{room}:{event}"), &card).await;
        self.put(format!("muster-card-of:{card}"), &event).await;
    }

    /// The Muster event of a card this store posted.
    pub async fn event_of(&self, card: &EventId) -> Option<i64> {
        self.get(format!("muster-card-of:{card}")).await
    }

    pub async fn reaction(&self, reaction: &EventId) -> Option<Reaction> {
        self.get(format!("muster-reaction:{reaction}")).await
    }

    /// Records a reaction, as the member's newest answer on its card.
    pub async fn add_reaction(&self, id: &EventId, reaction: &Reaction) {
        self.put(format!("muster-reaction:{id}"), reaction).await;
        self.update_answers(id, reaction, true).await;
    }

    /// Forgets a removed reaction; returns the member's remaining answers
    /// on that card, newest last.
    pub async fn remove_reaction(
        &self,
        id: &EventId,
        reaction: &Reaction,
    ) -> Vec<(String, String)> {
        self.update_answers(id, reaction, false).await
    }

    /// The member's (reaction, answer) list on the reaction's card, without
    /// `id`, then with it last when `present`.
    async fn update_answers(
        &self,
        id: &EventId,
        reaction: &Reaction,
        present: bool,
    ) -> Vec<(String, String)> {
        let key = Self::answers_key(reaction);
        let mut answers: Vec<(String, String)> = self.get(key.clone()).await.unwrap_or_default();
        answers.retain(|(r, _)| r != id.as_str());
        if present {
            answers.push((id.to_string(), reaction.answer.clone()));
        }
        self.put(key, &answers).await;
        answers
    }

    fn answers_key(reaction: &Reaction) -> String {
        format!("muster-answers:{}:{}", reaction.card, reaction.sender)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reaction_keys_map_to_answers() {
        assert_eq!(answer_of("✅"), Some(RsvpAnswer::Yes));
        assert_eq!(answer_of("✔️"), Some(RsvpAnswer::Yes));
        assert_eq!(answer_of("❔"), Some(RsvpAnswer::Maybe));
        assert_eq!(answer_of("❓"), Some(RsvpAnswer::Maybe));
        assert_eq!(answer_of("❌"), Some(RsvpAnswer::No));
        assert_eq!(answer_of("🎉"), None);
    }

    #[test]
    fn an_edit_replaces_the_card_and_keeps_its_event() {
        let card: OwnedEventId = "$card:example.org".try_into().unwrap();
        let edit = edit_content(&card, 3, "Assembly", "<b>Assembly</b>");
        assert_eq!(edit["m.relates_to"]["rel_type"], "m.replace");
        assert_eq!(edit["m.relates_to"]["event_id"], "$card:example.org");
        assert_eq!(edit["m.new_content"][CARD_FIELD], 3);
        assert_eq!(edit["m.new_content"]["body"], "Assembly");
        assert_eq!(edit["body"], "* Assembly");
    }
}
