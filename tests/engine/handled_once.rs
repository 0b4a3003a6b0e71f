//! A platform message is handled once: the same message handled again (a
//! bot re-reading its stream after a crash or a takeover) gives back the
//! first replies, with the same idempotency keys, and changes nothing more.

use crate::common::Org;
use muster_core::clock::{Clock, MockClock, RandomIds};
use muster_core::domain::{Platform, RoomRef};
use muster_core::engine::{Engine, EngineSettings};
use muster_core::inbound::{Inbound, Input, Outbound};
use std::sync::Arc;

fn message(id: &str, who: &str, text: &str) -> Inbound {
    Inbound {
        room: RoomRef::new(Platform::Matrix, "!paris:example.org"),
        direct: false,
        sender: who.to_string(),
        sender_name: who.to_string(),
        input: Input::Text(text.to_string()),
        message_id: Some(id.to_string()),
    }
}

fn keys(out: &[Outbound]) -> Vec<Option<String>> {
    out.iter().map(|o| o.idempotency_key.clone()).collect()
}

#[tokio::test]
async fn a_message_handled_twice_runs_once_and_answers_the_same() {
    let org = Org::new().await;
    let engine = &org.engine;
    let create = message(
        "$create",
        "@ana:example.org",
        "!section new paris \"Paris\"",
    );
    let first = engine.handle(&create).await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(keys(&first), vec![Some("reply-$create-0".to_string())]);
    let again = engine.handle(&create).await;
    assert_eq!(again, first, "the stored replies, not `slug taken`");

    // Another message with the same text is a new command.
    let other = engine
        .handle(&message(
            "$create2",
            "@ana:example.org",
            "!section new paris \"Paris\"",
        ))
        .await;
    assert_ne!(other[0].text, first[0].text);
    assert!(other[0].text.contains("paris"), "{}", other[0].text);

    // An error is answered the same way twice, and changes nothing.
    let bad = message("$bad", "@ana:example.org", "!event show 99");
    let error = engine.handle(&bad).await;
    assert_eq!(error.len(), 1);
    assert_eq!(engine.handle(&bad).await, error);

    // An RSVP handled twice counts once.
    engine
        .handle(&message("$link", "@ana:example.org", "!section link paris"))
        .await;
    engine
        .handle(&message(
            "$event",
            "@ana:example.org",
            "!event new \"Assembly\" 2030-01-10 19:00 cap 10",
        ))
        .await;
    let rsvp = message("$rsvp", "@bob:example.org", "!rsvp 1 yes +2");
    let answer = engine.handle(&rsvp).await;
    assert_eq!(engine.handle(&rsvp).await, answer);
    let export = org.export().await;
    let rsvps = export["events"][0]["rsvps"].as_array().unwrap();
    assert_eq!(rsvps.len(), 1, "{rsvps:?}");
    assert_eq!(rsvps[0]["guests"], 2);
    assert_eq!(export["sections"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn lines_without_an_id_are_not_deduplicated() {
    let org = Org::new().await;
    org.reply("ana", "/section new paris \"Paris\"").await;
    let second = org.reply("ana", "/section new paris \"Paris\"").await;
    assert!(
        second.contains("taken") || second.contains("exists"),
        "{second}"
    );
}

/// Many processes handling the same message at once (PostgreSQL): one runs
/// it, every other gets its replies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_handlers_of_one_message_run_it_once() {
    let Some(db) = muster_storage::testing::PgDb::new().await else {
        return;
    };
    let clock = MockClock::new(crate::common::at("2026-11-23T09:00:00Z"));
    let mut engines = Vec::new();
    for i in 0..4 {
        let store = muster_storage::open(&db.url).await.unwrap();
        engines.push(Arc::new(Engine::new(
            store,
            Arc::new(clock.clone()),
            Arc::new(RandomIds::seeded(i)),
            EngineSettings {
                commands_per_minute: 10_000,
                ..EngineSettings::default()
            },
        )));
    }
    for (id, text) in [
        ("$s", "!section new paris \"Paris\""),
        ("$l", "!section link paris"),
        ("$e", "!event new \"Assembly\" 2030-01-10 19:00 cap 10"),
    ] {
        engines[0]
            .handle(&message(id, "@ana:example.org", text))
            .await;
    }
    // Each run of this command would create one more initiative.
    let bikes = message("$bikes", "@bob:example.org", "!initiative new \"Bikes\"");
    let mut tasks = Vec::new();
    for _ in 0..5 {
        for engine in &engines {
            let engine = engine.clone();
            let bikes = bikes.clone();
            tasks.push(tokio::spawn(async move { engine.handle(&bikes).await }));
        }
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    let expected: Vec<Option<String>> = (0..answers[0].len())
        .map(|i| Some(format!("reply-$bikes-{i}")))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(keys(&answers[0]), expected);
    let mut tx = engines[0].store().begin().await.unwrap();
    let doc = muster_core::export::export(tx.as_mut(), clock.now())
        .await
        .unwrap();
    let doc = serde_json::to_value(doc).unwrap();
    let initiatives = doc["initiatives"].as_array().unwrap();
    assert_eq!(initiatives.len(), 1, "{initiatives:?}");
}
