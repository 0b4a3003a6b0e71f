//! Capacity is exact under concurrency: many members answering at once
//! through the engine and real SQLite storage never overfill an event.

use crate::common::Org;
use muster_core::domain::Platform;
use muster_core::inbound::Inbound;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_members_answer_at_once_for_fifty_places() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Assembly\" 2026-12-01 19:30 cap 50")
        .await;
    // Members join first, so the race is only about the places.
    let mut handles = Vec::new();
    for i in 0..200 {
        let engine = org.engine.clone();
        handles.push(tokio::spawn(async move {
            // Every tenth member brings a guest: guests count against capacity.
            let text = if i % 10 == 0 {
                "/rsvp 1 yes +1"
            } else {
                "/rsvp 1 yes"
            };
            let inbound = Inbound::text(crate::common::console(), format!("m{i}"), text);
            engine.handle(&inbound).await
        }));
    }
    for h in handles {
        let out = h.await.unwrap();
        assert!(!out.is_empty());
        assert_ne!(
            out[0].kind,
            muster_core::inbound::OutboundKind::Error,
            "{}",
            out[0].text
        );
    }
    let export = org.export().await;
    let rsvps = export["events"][0]["rsvps"].as_array().unwrap();
    assert_eq!(rsvps.len(), 200);
    let seats: u64 = rsvps
        .iter()
        .filter(|r| r["status"] == "going")
        .map(|r| 1 + r["guests"].as_u64().unwrap())
        .sum();
    assert_eq!(seats, 50, "exactly the capacity is taken");
    let mut waitlist: Vec<(i64, &serde_json::Value)> = rsvps
        .iter()
        .filter(|r| r["status"] == "waitlisted")
        .map(|r| (r["position"].as_i64().unwrap(), r))
        .collect();
    waitlist.sort_by_key(|(p, _)| *p);
    let going = rsvps.iter().filter(|r| r["status"] == "going").count();
    assert_eq!(waitlist.len(), 200 - going);
    // Arrival order: positions are the order answers were committed, 1..n without gaps.
    let positions: Vec<i64> = waitlist.iter().map(|(p, _)| *p).collect();
    assert_eq!(positions, (1..=waitlist.len() as i64).collect::<Vec<_>>());

    // When a going member cancels, the head of the waitlist is promoted and told.
    let leaver = rsvps
        .iter()
        .find(|r| r["status"] == "going" && r["guests"] == 0)
        .unwrap();
    let leaver_id = leaver["member"].as_i64().unwrap();
    let leaver_name = export["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"].as_i64() == Some(leaver_id))
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    let out = org.say(&leaver_name, "/rsvp 1 no").await;
    // The first in line whose party fits the one freed place.
    let head = waitlist.iter().find(|(_, r)| r["guests"] == 0).unwrap().1["member"]
        .as_i64()
        .unwrap();
    let head_name = export["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"].as_i64() == Some(head))
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    {
        let told = crate::common::privately(&out, &head_name);
        assert_eq!(told.len(), 1, "{out:?}");
        assert!(told[0].text.contains("A place freed up"));
        assert!(matches!(
            &told[0].target,
            muster_core::inbound::Target::Direct {
                platform: Platform::Console,
                ..
            }
        ));
    }
    let after = org.export().await;
    let seats: u64 = after["events"][0]["rsvps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "going")
        .map(|r| 1 + r["guests"].as_u64().unwrap())
        .sum();
    assert_eq!(seats, 50, "the freed place is taken from the waitlist");
}
