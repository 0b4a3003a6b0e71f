//! Platform messages handled exactly once. A message that carries its
//! platform id is recorded with the replies it got, in the transaction of
//! the command's own changes; handled again (the same process after a
//! crash, or another process that took the bot over and re-read the
//! stream), it gives back those replies instead of running again. The
//! replies' idempotency keys come from the message id, so platforms that
//! deduplicate (Matrix transaction ids) post each reply once.

use crate::domain::{Platform, RoomRef};
use crate::inbound::{Button, Outbound, OutboundKind, Target};
use serde::{Deserialize, Serialize};

/// The stored form of one reply.
#[derive(Debug, Serialize, Deserialize)]
struct StoredReply {
    platform: Platform,
    to: String,
    direct: bool,
    kind: OutboundKind,
    text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    buttons: Vec<Button>,
    key: Option<String>,
}

/// Gives each reply without a key one derived from the message.
pub(crate) fn key_replies(message_id: &str, replies: &mut [Outbound]) {
    for (i, out) in replies.iter_mut().enumerate() {
        if out.idempotency_key.is_none() {
            out.idempotency_key = Some(format!("reply-{message_id}-{i}"));
        }
    }
}

pub(crate) fn to_json(replies: &[Outbound]) -> String {
    let stored: Vec<StoredReply> = replies
        .iter()
        .map(|out| {
            let (platform, to, direct) = match &out.target {
                Target::Room(room) => (room.platform, room.room_id.clone(), false),
                Target::Direct { platform, user_id } => (*platform, user_id.clone(), true),
            };
            StoredReply {
                platform,
                to,
                direct,
                kind: out.kind,
                text: out.text.clone(),
                buttons: out.buttons.clone(),
                key: out.idempotency_key.clone(),
            }
        })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn from_json(json: &str) -> Result<Vec<Outbound>, serde_json::Error> {
    let stored: Vec<StoredReply> = serde_json::from_str(json)?;
    Ok(stored
        .into_iter()
        .map(|r| Outbound {
            target: if r.direct {
                Target::Direct {
                    platform: r.platform,
                    user_id: r.to,
                }
            } else {
                Target::Room(RoomRef::new(r.platform, r.to))
            },
            kind: r.kind,
            text: r.text,
            buttons: r.buttons,
            delivery: None,
            idempotency_key: r.key,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_survive_the_round_trip_with_their_keys() {
        let room = RoomRef::new(Platform::Matrix, "!r:example.org");
        let mut replies = vec![
            Outbound::new(Target::Room(room), OutboundKind::Reply, "Hello"),
            Outbound {
                buttons: vec![Button {
                    label: "Going".into(),
                    gesture: crate::gesture::Gesture::Rsvp {
                        event: crate::domain::EventId(3),
                        answer: crate::domain::RsvpAnswer::Yes,
                    },
                }],
                ..Outbound::new(
                    Target::Direct {
                        platform: Platform::Matrix,
                        user_id: "@ana:example.org".into(),
                    },
                    OutboundKind::Private,
                    "Only for you",
                )
            },
        ];
        replies[1].idempotency_key = Some("given".into());
        key_replies("$ev", &mut replies);
        assert_eq!(replies[0].idempotency_key.as_deref(), Some("reply-$ev-0"));
        assert_eq!(replies[1].idempotency_key.as_deref(), Some("given"));
        assert_eq!(from_json(&to_json(&replies)).unwrap(), replies);
    }
}
