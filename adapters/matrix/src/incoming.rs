//! What a sync brings that the bot answers: messages addressed to it, and
//! reactions to its event cards (and their removal) as RSVPs. Each becomes
//! an [`Inbound`] with the Matrix event id as its message id, so a re-read
//! event is answered once.

use crate::cards::{Book, Reaction, answer_of, event_of_card};
use crate::translate::command_text;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::OwnedUserId;
use matrix_sdk::ruma::events::reaction::OriginalSyncReactionEvent;
use matrix_sdk::ruma::events::room::member::{MembershipState, OriginalSyncRoomMemberEvent};
use matrix_sdk::ruma::events::room::message::{
    MessageFormat, MessageType, OriginalSyncRoomMessageEvent,
};
use matrix_sdk::ruma::events::room::redaction::{
    OriginalSyncRoomRedactionEvent, SyncRoomRedactionEvent,
};
use matrix_sdk::ruma::events::room::tombstone::OriginalSyncRoomTombstoneEvent;
use matrix_sdk::ruma::events::{
    AnySyncMessageLikeEvent, AnySyncStateEvent, AnySyncTimelineEvent, SyncMessageLikeEvent,
    SyncStateEvent,
};
use matrix_sdk::{Client, Room, RoomState};
use muster_core::domain::EventId;
use muster_core::domain::{Platform, RoomRef};
use muster_core::engine::Engine;
use muster_core::gesture::Gesture;
use muster_core::inbound::{Inbound, Input, Outbound, Target};
use muster_core::outbox::Outgoing;
use muster_core::store::StoreError;
use std::sync::Arc;

/// How many events one page of a gap fetch asks for.
const GAP_PAGE: u32 = 100;

/// A timeline event the bot may answer.
pub(crate) enum Incoming {
    Message(Box<OriginalSyncRoomMessageEvent>),
    Reaction(OriginalSyncReactionEvent),
    Redaction(OriginalSyncRoomRedactionEvent),
    /// A membership change: the bot's own leaving matters.
    Member(Box<OriginalSyncRoomMemberEvent>),
    /// The room was upgraded and replaced by another.
    Tombstone(OriginalSyncRoomTombstoneEvent),
}

impl Incoming {
    fn kind(&self) -> &'static str {
        match self {
            Incoming::Message(_) => "message",
            Incoming::Reaction(_) => "reaction",
            Incoming::Redaction(_) => "redaction",
            Incoming::Member(_) => "member",
            Incoming::Tombstone(_) => "tombstone",
        }
    }

    fn event_id(&self) -> &str {
        match self {
            Incoming::Message(e) => e.event_id.as_str(),
            Incoming::Reaction(e) => e.event_id.as_str(),
            Incoming::Redaction(e) => e.event_id.as_str(),
            Incoming::Member(e) => e.event_id.as_str(),
            Incoming::Tombstone(e) => e.event_id.as_str(),
        }
    }

    pub(crate) fn of(event: AnySyncTimelineEvent) -> Option<Incoming> {
        match event {
            AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(
                SyncMessageLikeEvent::Original(m),
            )) => Some(Incoming::Message(Box::new(m))),
            AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::Reaction(
                SyncMessageLikeEvent::Original(r),
            )) => Some(Incoming::Reaction(r)),
            AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomRedaction(
                SyncRoomRedactionEvent::Original(r),
            )) => Some(Incoming::Redaction(r)),
            AnySyncTimelineEvent::State(AnySyncStateEvent::RoomMember(
                SyncStateEvent::Original(m),
            )) => Some(Incoming::Member(Box::new(m))),
            AnySyncTimelineEvent::State(AnySyncStateEvent::RoomTombstone(
                SyncStateEvent::Original(t),
            )) => Some(Incoming::Tombstone(t)),
            _ => None,
        }
    }
}

/// Answers one incoming event.
pub(crate) async fn answer(
    client: &Client,
    engine: &Engine,
    outgoing: &Arc<Outgoing>,
    incoming: Incoming,
    room: Room,
) -> Result<(), StoreError> {
    let Some(own) = client.user_id() else {
        return Ok(());
    };
    tracing::debug!(room = %room.room_id(), kind = incoming.kind(), event = incoming.event_id(), "incoming");
    let incoming = match incoming {
        Incoming::Member(ev) => return member_changed(engine, own, *ev, room).await,
        Incoming::Tombstone(ev) => return room_replaced(client, engine, ev, room).await,
        other => other,
    };
    if room.state() != RoomState::Joined {
        return Ok(());
    }
    match incoming {
        Incoming::Message(ev) if ev.sender != own => {
            answer_message(engine, outgoing, own, *ev, room).await
        }
        Incoming::Reaction(ev) if ev.sender != own => {
            answer_reaction(client, engine, outgoing, ev, room).await
        }
        Incoming::Redaction(ev) => answer_redaction(client, engine, outgoing, ev, room).await,
        _ => Ok(()),
    }
}

/// The events that a sync response left out of its limited rooms: from
/// the start of each room's timeline back to `since`, oldest first.
pub(crate) async fn gaps(
    client: &Client,
    response: &matrix_sdk::sync::SyncResponse,
    since: &str,
) -> Result<Vec<(Incoming, Room)>, matrix_sdk::Error> {
    let mut found = Vec::new();
    for (room_id, update) in &response.rooms.joined {
        let (true, Some(prev_batch)) = (update.timeline.limited, &update.timeline.prev_batch)
        else {
            continue;
        };
        let Some(room) = client.get_room(room_id) else {
            continue;
        };
        let events = between(&room, prev_batch, since).await?;
        tracing::info!(room = %room_id, messages = events.len(), "fetched what a limited sync left out");
        found.extend(events.into_iter().map(|ev| (ev, room.clone())));
    }
    Ok(found)
}

/// Every joined room's events from `since` to `until`, oldest first in
/// each room: what a sync response brought that the SDK had taken in
/// already (see `sync_pass`).
pub(crate) async fn range(
    client: &Client,
    since: &str,
    until: &str,
) -> Result<Vec<(Incoming, Room)>, matrix_sdk::Error> {
    let mut found = Vec::new();
    for room in client.joined_rooms() {
        let events = between(&room, until, since).await?;
        if !events.is_empty() {
            tracing::info!(room = %room.room_id(), messages = events.len(), "read again what the SDK had taken in");
        }
        found.extend(events.into_iter().map(|ev| (ev, room.clone())));
    }
    Ok(found)
}

/// A room's events from the position `to` up to `from`, oldest first.
async fn between(room: &Room, from: &str, to: &str) -> Result<Vec<Incoming>, matrix_sdk::Error> {
    let mut events = Vec::new();
    let mut from = from.to_owned();
    loop {
        let mut options = MessagesOptions::backward().from(from.as_str());
        options.to = Some(to.to_owned());
        options.limit = GAP_PAGE.into();
        let page = room.messages(options).await?;
        for event in &page.chunk {
            if let Some(incoming) = event.raw().deserialize().ok().and_then(Incoming::of) {
                events.push(incoming);
            }
        }
        match page.end {
            Some(end) if !page.chunk.is_empty() => from = end,
            _ => break,
        }
    }
    events.reverse();
    Ok(events)
}

/// Whether a room is a one-to-one conversation with the bot: marked direct
/// (`m.direct`, or joined from a direct invitation) and with no third member.
/// A new group room where only its creator and the bot have joined yet is
/// not direct, so `section link` works there.
async fn is_direct(room: &Room) -> bool {
    room.joined_members_count() <= 2 && room.is_direct().await.unwrap_or(false)
}

async fn answer_message(
    engine: &Engine,
    outgoing: &Arc<Outgoing>,
    own: &matrix_sdk::ruma::UserId,
    ev: OriginalSyncRoomMessageEvent,
    room: Room,
) -> Result<(), StoreError> {
    let MessageType::Text(text) = &ev.content.msgtype else {
        return Ok(());
    };
    let formatted = text
        .formatted
        .as_ref()
        .filter(|f| f.format == MessageFormat::Html)
        .map(|f| f.body.as_str());
    let direct = is_direct(&room).await;
    let display_name = match room.get_member_no_sync(own).await {
        Ok(Some(me)) => me.display_name().map(str::to_string),
        _ => None,
    };
    let Some(line) = command_text(
        &text.body,
        formatted,
        own.as_str(),
        display_name.as_deref(),
        direct,
    ) else {
        return Ok(());
    };
    let sender_name = member_name(&room, &ev.sender).await;
    let inbound = Inbound {
        room: RoomRef::new(Platform::Matrix, room.room_id().as_str()),
        direct,
        sender: ev.sender.to_string(),
        sender_name,
        input: Input::Text(line),
        message_id: Some(ev.event_id.to_string()),
    };
    // The replies' keys come from the event, so a reply sent again (this
    // event re-read after a crash) is posted once.
    send(outgoing, engine.try_handle(&inbound).await?).await;
    Ok(())
}

/// A reaction to one of the bot's cards: an RSVP gesture by the reacting
/// member. The card is edited; the engine answers them privately.
async fn answer_reaction(
    client: &Client,
    engine: &Engine,
    outgoing: &Arc<Outgoing>,
    ev: OriginalSyncReactionEvent,
    room: Room,
) -> Result<(), StoreError> {
    let annotation = &ev.content.relates_to;
    let Some(answer) = answer_of(&annotation.key) else {
        return Ok(());
    };
    let Some(event) = event_of_card(client, &room, &annotation.event_id).await else {
        tracing::debug!(card = %annotation.event_id, "a reaction to something else than a card");
        return Ok(());
    };
    let reaction = Reaction {
        card: annotation.event_id.clone(),
        event,
        sender: ev.sender.to_string(),
        answer: answer.to_string(),
    };
    Book::new(client)
        .add_reaction(&ev.event_id, &reaction)
        .await;
    let gesture = Gesture::Rsvp {
        event: EventId(event),
        answer,
    };
    gesture_by(
        engine,
        outgoing,
        &room,
        &ev.sender,
        gesture,
        ev.event_id.as_str(),
    )
    .await
}

/// A removed reaction: the member's answer becomes their newest remaining
/// RSVP reaction on that card, and with none left they withdraw.
async fn answer_redaction(
    client: &Client,
    engine: &Engine,
    outgoing: &Arc<Outgoing>,
    ev: OriginalSyncRoomRedactionEvent,
    room: Room,
) -> Result<(), StoreError> {
    let Some(redacted) = ev.redacts.clone().or_else(|| ev.content.redacts.clone()) else {
        return Ok(());
    };
    let book = Book::new(client);
    let Some(reaction) = book.reaction(&redacted).await else {
        return Ok(());
    };
    let remaining = book.remove_reaction(&redacted, &reaction).await;
    let Ok(sender) = OwnedUserId::try_from(reaction.sender.as_str()) else {
        return Ok(());
    };
    let event = EventId(reaction.event);
    let gesture = match remaining.last().and_then(|(_, a)| a.parse().ok()) {
        Some(answer) => Gesture::Rsvp { event, answer },
        None => Gesture::Withdraw { event },
    };
    gesture_by(
        engine,
        outgoing,
        &room,
        &sender,
        gesture,
        ev.event_id.as_str(),
    )
    .await
}

/// A member's gesture, handed to the engine as one.
async fn gesture_by(
    engine: &Engine,
    outgoing: &Arc<Outgoing>,
    room: &Room,
    sender: &matrix_sdk::ruma::UserId,
    gesture: Gesture,
    message_id: &str,
) -> Result<(), StoreError> {
    let inbound = Inbound {
        room: RoomRef::new(Platform::Matrix, room.room_id().as_str()),
        direct: false,
        sender: sender.to_string(),
        sender_name: member_name(room, sender).await,
        input: Input::Gesture(gesture),
        message_id: Some(message_id.to_string()),
    };
    send(outgoing, engine.try_handle(&inbound).await?).await;
    Ok(())
}

async fn member_name(room: &Room, user: &matrix_sdk::ruma::UserId) -> String {
    match room.get_member_no_sync(user).await {
        Ok(Some(member)) => member.name().to_string(),
        _ => user.localpart().to_string(),
    }
}

/// Sends replies through the outgoing path. Those to a member's direct
/// room go on aside: creating that room waits for a sync, and this runs
/// within the sync loop.
async fn send(outgoing: &Arc<Outgoing>, replies: Vec<Outbound>) {
    let (direct, here): (Vec<Outbound>, Vec<Outbound>) = replies
        .into_iter()
        .partition(|out| matches!(out.target, Target::Direct { .. }));
    if !direct.is_empty() {
        let outgoing = outgoing.clone();
        tokio::spawn(async move { outgoing.send_all(direct).await });
    }
    outgoing.send_all(here).await;
}

/// The bot removed from a room (kicked, banned) by someone else: the room
/// is unlinked, so the organisation's messages stop going there.
async fn member_changed(
    engine: &Engine,
    own: &matrix_sdk::ruma::UserId,
    ev: OriginalSyncRoomMemberEvent,
    room: Room,
) -> Result<(), StoreError> {
    if ev.state_key != own || ev.sender == own {
        return Ok(());
    }
    if !matches!(
        ev.content.membership,
        MembershipState::Leave | MembershipState::Ban
    ) {
        return Ok(());
    }
    let gone = RoomRef::new(Platform::Matrix, room.room_id().as_str());
    match engine.room_gone(&gone).await {
        Ok(Some(_)) => {
            tracing::info!(room = %room.room_id(), by = %ev.sender, "removed from a linked room; unlinked")
        }
        Ok(None) => tracing::info!(room = %room.room_id(), by = %ev.sender, "removed from a room"),
        Err(e) => {
            tracing::error!(room = %room.room_id(), error = %e, "cannot unlink a room the bot left");
            return Err(e);
        }
    }
    Ok(())
}

/// A room upgraded to a new one: the section link follows, the bot joins
/// the new room (or waits for an invitation to it, if it is not open to
/// it) and leaves the old one.
async fn room_replaced(
    client: &Client,
    engine: &Engine,
    ev: OriginalSyncRoomTombstoneEvent,
    room: Room,
) -> Result<(), StoreError> {
    let new_id = ev.content.replacement_room.clone();
    let old = RoomRef::new(Platform::Matrix, room.room_id().as_str());
    let new = RoomRef::new(Platform::Matrix, new_id.as_str());
    match engine.room_moved(&old, &new).await {
        Ok(Some(_)) => {
            tracing::info!(old = %old.room_id, new = %new.room_id, "room upgraded; the section link follows")
        }
        Ok(None) => {}
        Err(e) => {
            tracing::error!(room = %old.room_id, error = %e, "cannot move the link of an upgraded room");
            return Err(e);
        }
    }
    // Joining waits for a sync: not within this one.
    let client = client.clone();
    tokio::spawn(async move {
        if let Err(e) = client.join_room_by_id(&new_id).await {
            tracing::info!(room = %new_id, error = %e, "cannot join the upgraded room yet; waiting for an invitation");
        }
        if room.state() == RoomState::Joined
            && let Err(e) = room.leave().await
        {
            tracing::warn!(room = %room.room_id(), error = %e, "cannot leave the old room");
        }
    });
    Ok(())
}
