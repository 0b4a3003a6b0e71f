//! The Telegram bot under crashes and takeovers, through the real binary:
//! a SIGKILL in the middle of an announcement to 500 groups, then a
//! restart, leaves the announcement in every group (the duplicates, at most
//! the sends in flight at the kill, are counted and reported); two
//! processes on one PostgreSQL database hand the bot over when the poller
//! is killed, and every update is answered once.

use crate::common::{READY, TOKEN, WAIT, count, fake, texts, wait_text, write_config};
use crate::muster_bin::{Muster, READY_WAIT};
use muster_core::domain::{Language, Platform, RoomRef, SectionSettings};
use muster_core::store::NewSection;
use std::time::{Duration, Instant};

/// A section `paris` linked to every chat of `chats`, written straight to
/// the database before the bot starts (linking 500 groups by command would
/// take the test's whole budget in replies).
async fn link_all(url: &str, chats: &[i64]) {
    let store = muster_storage::open(url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let section = tx
        .create_section(NewSection {
            slug: "paris".into(),
            name: "Paris".into(),
            parent: None,
            settings: SectionSettings::root_defaults(chrono_tz::UTC, Language::En),
            created_at: muster_core::clock::Clock::now(&muster_core::clock::SystemClock),
        })
        .await
        .unwrap();
    for chat in chats {
        tx.link_room(
            &RoomRef::new(Platform::Telegram, chat.to_string()),
            section.id,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_an_announcement_to_500_groups_leaves_it_in_every_group() {
    let _serial = crate::serial::one_at_a_time();
    let fake = fake().await;
    let ana = fake.add_user("Ana");
    let groups: Vec<i64> = (0..500)
        .map(|i| fake.add_supergroup(&format!("Group {i}"), &[ana]))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("muster.db").display());
    link_all(&url, &groups).await;
    let config = write_config(dir.path(), &fake, ana, Some(&url));
    let log = dir.path().join("muster.log");
    let claim = [("MUSTER_TEST_CLAIM_SECONDS", "5")];

    let mut first = Muster::spawn(&config, &log, &claim);
    first.wait_for(READY, READY_WAIT);
    fake.send_text(groups[0], ana, "/announce Assembly on Friday");
    let reached = |fake: &muster_fakes::telegram::FakeTelegram| {
        groups
            .iter()
            .filter(|g| count(fake, **g, "Assembly on Friday") > 0)
            .count()
    };
    fake.wait_until(WAIT, "the fan-out under way", |f| {
        (reached(f) >= 100).then_some(())
    })
    .await
    .unwrap();
    first.kill();
    let at_kill = reached(&fake);
    assert!(
        at_kill < 500,
        "the kill came after the fan-out ({at_kill} groups)"
    );

    let restarted = Instant::now();
    let mut second = Muster::spawn(&config, &log, &claim);
    second.wait_for(READY, READY_WAIT);
    fake.wait_until(Duration::from_secs(120), "every group", |f| {
        (reached(f) == 500).then_some(())
    })
    .await
    .unwrap_or_else(|e| panic!("{e}: {} of 500 groups", reached(&fake)));
    let duplicates: usize = groups
        .iter()
        .map(|g| count(&fake, *g, "Assembly on Friday").saturating_sub(1))
        .sum();
    eprintln!(
        "telegram resilience: killed with {at_kill}/500 groups reached; all 500 {:.1} s after the restart; {duplicates} duplicate(s)",
        restarted.elapsed().as_secs_f64()
    );
    // One dispatcher sends one message at a time: only the send in flight
    // at the kill can be posted twice.
    assert!(duplicates <= 1, "{duplicates} duplicates");
    assert_eq!(
        fake.too_many_requests_served(),
        0,
        "paced within Telegram's limits"
    );
    second.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_poller_hands_over_and_every_update_is_answered_once() {
    let _serial = crate::serial::one_at_a_time();
    let Some(db) = muster_storage::testing::PgDb::new().await else {
        return;
    };
    let fake = fake().await;
    let ana = fake.add_user("Ana");
    let group = fake.add_supergroup("Paris", &[ana]);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &fake, ana, Some(&db.url));
    let knobs = [("MUSTER_TEST_LEASE_SECONDS", "4")];
    let mut a = Muster::spawn(&config, &dir.path().join("a.log"), &knobs);
    a.wait_for(READY, READY_WAIT);
    let mut b = Muster::spawn(&config, &dir.path().join("b.log"), &knobs);
    b.wait_for("held by another process; waiting", READY_WAIT);
    assert!(!b.log().contains(READY), "two pollers for one token");

    fake.send_text(group, ana, "/section new paris \"Paris\"");
    wait_text(&fake, group, &["Section Paris created"]).await;
    fake.send_text(group, ana, "/section link paris");
    wait_text(&fake, group, &["now linked"]).await;
    for i in 0..10 {
        fake.send_text(group, ana, format!("/initiative new \"Idea {i}\"").as_str());
        wait_text(&fake, group, &[&format!("Idea {i}")]).await;
    }
    a.kill();
    let killed = Instant::now();
    // Sent while nobody polls: answered once the other process holds the bot.
    for i in 10..20 {
        fake.send_text(group, ana, format!("/initiative new \"Idea {i}\"").as_str());
    }
    b.wait_for(READY, READY_WAIT);
    for i in 10..20 {
        wait_text(&fake, group, &[&format!("Idea {i}")]).await;
    }
    eprintln!(
        "telegram failover: the last command answered {:.1} s after the SIGKILL",
        killed.elapsed().as_secs_f64()
    );
    for i in 0..20 {
        assert_eq!(
            count(&fake, group, &format!("“Idea {i}”")),
            1,
            "Idea {i}: {:#?}",
            texts(&fake, group)
        );
    }
    assert!(TOKEN.starts_with(&fake.bot_id().to_string()));
    b.stop();
}
