//! Reminders, the confirm step, digests and scheduled announcements on a
//! mock clock: on time, once, and never lost.

use crate::common::{Org, at, privately};
use muster_core::domain::JobState;
use muster_core::inbound::Outbound;

fn texts(delivered: &[(chrono::DateTime<chrono::Utc>, Outbound)]) -> Vec<(String, String)> {
    delivered
        .iter()
        .map(|(t, o)| (t.to_rfc3339(), o.text.clone()))
        .collect()
}

#[tokio::test]
async fn reminders_arrive_at_each_offset_once() {
    let org = Org::with_section().await; // clock: 2026-11-23 09:00 UTC, section in UTC
    org.reply(
        "ana",
        "/event new \"Assembly\" 2026-11-25 19:30 at \"Town hall\"",
    )
    .await;
    let sent = org.run_until(at("2026-11-26T00:00:00Z")).await;
    let sent = texts(&sent);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[0].0, "2026-11-24T19:30:00+00:00");
    assert!(
        sent[0].1.contains("starts in 24h") && sent[0].1.contains("Assembly"),
        "{}",
        sent[0].1
    );
    assert_eq!(sent[1].0, "2026-11-25T18:30:00+00:00");
    assert!(sent[1].1.contains("starts in 1h"));
    assert_eq!(org.jobs(JobState::Done).await.len(), 2);
    assert!(
        org.run_until(at("2026-12-26T00:00:00Z")).await.is_empty(),
        "never twice"
    );
}

#[tokio::test]
async fn moving_an_event_moves_its_reminders_and_cancelling_removes_them() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Assembly\" 2026-11-25 19:30")
        .await;
    org.reply("ana", "/event new \"Picnic\" 2026-11-26 12:00")
        .await;
    org.reply("ana", "/event edit 1 when 2026-11-27 19:30")
        .await;
    org.reply("ana", "/event cancel 2").await;
    let sent = texts(&org.run_until(at("2026-11-28T00:00:00Z")).await);
    assert_eq!(
        sent.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        ["2026-11-26T19:30:00+00:00", "2026-11-27T18:30:00+00:00"]
    );
    assert!(sent.iter().all(|s| s.1.contains("Assembly")));
    assert_eq!(org.jobs(JobState::Cancelled).await.len(), 4);
}

#[tokio::test]
async fn reminders_due_while_down_are_sent_late_if_still_useful_else_recorded_missed() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Assembly\" 2026-11-25 19:30")
        .await;
    // Down from before the 24h reminder until after it, but before the start.
    org.clock.set(at("2026-11-25T10:00:00Z"));
    let sent = texts(&org.run_until(at("2026-11-25T10:00:00Z")).await);
    assert_eq!(sent.len(), 1, "the late reminder still helps: {sent:?}");
    assert!(
        sent[0].1.contains("starts in 9h30"),
        "the real time left: {sent:?}"
    );
    // Down across the 1h reminder and the start: recorded, not sent; the
    // organisers alone hear of it.
    org.clock.set(at("2026-11-25T20:00:00Z"));
    let sent = org.run_until(at("2026-11-25T20:00:00Z")).await;
    assert!(
        sent.iter().all(
            |(_, o)| privately(std::slice::from_ref(o), "ana").len() == 1
                && o.text.contains("1 reminder was skipped")
        ),
        "{sent:?}"
    );
    let missed = org.jobs(JobState::Missed).await;
    assert_eq!(missed.len(), 1);
    assert!(missed[0].key.starts_with("reminder:1:60:"));
}

#[tokio::test]
async fn the_confirm_step_asks_going_members_and_a_cancel_frees_the_place() {
    let org = Org::with_section().await;
    org.reply("ana", "/settings confirm 24h").await;
    org.reply("ana", "/settings reminders off").await;
    org.reply("ana", "/event new \"Assembly\" 2026-11-25 19:30 cap 1")
        .await;
    org.reply("bob", "/rsvp 1 yes").await;
    org.reply("chloe", "/rsvp 1 yes").await;
    let sent = org.run_until(at("2026-11-24T20:00:00Z")).await;
    let to_bob: Vec<_> = sent.iter().map(|(_, o)| o.clone()).collect();
    let asked = privately(&to_bob, "bob");
    assert_eq!(asked.len(), 1, "{sent:?}");
    assert!(asked[0].text.contains("still coming"));
    assert_eq!(asked[0].buttons.len(), 2);
    assert!(
        privately(&to_bob, "chloe").is_empty(),
        "waitlisted members are not asked"
    );
    // Bob presses "Cancel": chloe moves up and is told; bob's answer is
    // his alone.
    let out = org.press("bob", asked[0].buttons[1].gesture).await;
    assert!(
        privately(&out, "chloe")[0]
            .text
            .contains("A place freed up")
    );
    assert!(
        privately(&out, "bob")[0].text.contains("can't come"),
        "{out:?}"
    );
    assert!(org.reply("chloe", "/confirm 1").await.contains("see you"));
}

#[tokio::test]
async fn scheduled_announcements_go_out_at_their_time_unless_cancelled() {
    let org = Org::with_section().await;
    assert!(
        org.reply("ana", "/announce at 2026-11-24 10:00 Meeting tonight")
            .await
            .contains("will be sent")
    );
    assert!(
        org.reply("ana", "/announce at 2026-11-24 11:00 Never mind")
            .await
            .contains("#2")
    );
    assert!(
        org.reply("ana", "/announcements")
            .await
            .contains("Never mind")
    );
    assert!(
        org.reply("ana", "/announce cancel 2")
            .await
            .contains("cancelled")
    );
    let sent = texts(&org.run_until(at("2026-11-25T00:00:00Z")).await);
    assert_eq!(
        sent,
        vec![(
            "2026-11-24T10:00:00+00:00".to_string(),
            "📣 Meeting tonight".to_string()
        )]
    );
    assert!(
        org.reply("ana", "/announcements")
            .await
            .contains("No announcement")
    );
}

#[tokio::test]
async fn weekly_digests_follow_the_section_time_zone_across_new_year() {
    let org = Org::with_section().await;
    org.reply("ana", "/settings timezone Europe/Paris").await;
    org.reply("ana", "/event new \"Assembly\" 2026-12-29 19:30")
        .await;
    let reply = org.reply("ana", "/schedule digest \"0 9 * * MON\"").await;
    assert!(reply.contains("Mon 2026-11-30 09:00"), "{reply}");
    let sent = org.run_until(at("2027-01-12T00:00:00Z")).await;
    let digests: Vec<_> = sent
        .iter()
        .filter(|(_, o)| o.text.contains("Coming up"))
        .collect();
    let times: Vec<String> = digests.iter().map(|(t, _)| t.to_rfc3339()).collect();
    assert_eq!(
        times,
        [
            "2026-11-30T08:00:00+00:00",
            "2026-12-07T08:00:00+00:00",
            "2026-12-14T08:00:00+00:00",
            "2026-12-21T08:00:00+00:00",
            "2026-12-28T08:00:00+00:00",
            "2027-01-04T08:00:00+00:00",
            "2027-01-11T08:00:00+00:00",
        ]
    );
    // A week ahead: the 28 December digest lists the 29 December event; the 21st's does not.
    assert!(!digests[3].1.text.contains("Assembly") && digests[4].1.text.contains("Assembly"));
    assert!(digests[0].1.text.contains("Nothing planned"));
    assert!(
        org.reply("ana", "/schedules")
            .await
            .contains("2027-01-18 09:00")
    );
    assert!(org.reply("ana", "/unschedule 1").await.contains("removed"));
    assert!(
        org.run_until(at("2027-02-01T00:00:00Z"))
            .await
            .iter()
            .all(|(_, o)| !o.text.contains("Coming up"))
    );
}

#[tokio::test]
async fn digests_keep_local_time_across_daylight_saving_changes() {
    let org = Org::with_section().await;
    org.clock.set(at("2026-03-20T12:00:00Z"));
    org.reply("ana", "/settings timezone Europe/Paris").await;
    org.reply("ana", "/schedule digest \"0 9 * * *\"").await;
    let sent = org.run_until(at("2026-04-01T00:00:00Z")).await;
    let times: Vec<String> = sent.iter().map(|(t, _)| t.to_rfc3339()).collect();
    assert!(
        times.contains(&"2026-03-28T08:00:00+00:00".to_string()),
        "{times:?}"
    ); // winter, UTC+1
    assert!(
        times.contains(&"2026-03-29T07:00:00+00:00".to_string()),
        "{times:?}"
    ); // summer from 29 March, UTC+2
    assert_eq!(times.len(), 11);
    org.clock.set(at("2026-10-20T12:00:00Z"));
    org.reply("ana", "/unschedule 1").await;
    org.reply("ana", "/schedule digest \"30 2 * * *\"").await; // inside the fall-back fold on 25 October
    let sent = org.run_until(at("2026-10-27T00:00:00Z")).await;
    let times: Vec<String> = sent.iter().map(|(t, _)| t.to_rfc3339()).collect();
    assert_eq!(
        times.iter().filter(|t| t.starts_with("2026-10-25")).count(),
        1,
        "{times:?}"
    );
    assert!(
        times.contains(&"2026-10-25T00:30:00+00:00".to_string()),
        "first of the two 02:30s: {times:?}"
    );
}

#[tokio::test]
async fn bad_schedules_are_refused_with_the_reason() {
    let org = Org::with_section().await;
    assert!(
        org.reply("ana", "/schedule digest \"*/5 * * * *\"")
            .await
            .contains("more often")
    );
    assert!(
        org.reply("ana", "/schedule digest \"0 9 * *\"")
            .await
            .contains("Usage: /schedule")
    );
    assert!(
        org.reply("ana", "/schedule digest \"0 25 * * *\"")
            .await
            .contains("hour field")
    );
    assert!(
        org.reply("bob", "/schedule digest \"0 9 * * MON\"")
            .await
            .contains("Only organisers")
    );
    assert!(
        org.reply("ana", "/schedules")
            .await
            .contains("No schedules")
    );
}

#[tokio::test]
async fn members_who_ask_get_reminders_privately_too() {
    let org = Org::with_section().await;
    org.reply("ana", "/settings reminders 1h").await;
    org.reply("ana", "/event new \"Assembly\" 2026-11-25 19:30")
        .await;
    assert!(
        org.reply("bob", "/reminders on")
            .await
            .contains("privately")
    );
    org.reply("bob", "/rsvp 1 yes").await;
    org.reply("chloe", "/rsvp 1 yes").await; // no private reminders asked
    org.reply("dan", "/reminders on").await; // asked, but not coming
    let sent = org.run_until(at("2026-11-26T00:00:00Z")).await;
    let outs: Vec<Outbound> = sent.iter().map(|(_, o)| o.clone()).collect();
    let to_bob = privately(&outs, "bob");
    assert_eq!(to_bob.len(), 1, "{sent:?}");
    assert!(to_bob[0].text.contains("starts in 1h") && to_bob[0].text.contains("Assembly"));
    assert!(privately(&outs, "chloe").is_empty());
    assert!(privately(&outs, "dan").is_empty());
    assert_eq!(outs.len(), 2, "the room's reminder and bob's");
}

#[tokio::test]
async fn weekly_events_recur_at_the_same_local_time_across_daylight_saving() {
    let org = Org::with_section().await;
    org.clock.set(at("2026-10-10T12:00:00Z"));
    org.reply("ana", "/settings timezone Europe/Paris").await;
    org.reply(
        "ana",
        "/event new \"Permanence\" 2026-10-20 19:00 every week",
    )
    .await;
    org.reply("ana", "/event new \"Once\" 2026-10-21 19:00")
        .await;
    // Cancelling one occurrence keeps the series going.
    org.run_until(at("2026-10-21T00:00:00Z")).await;
    org.reply("ana", "/event cancel 3").await; // the 27 October occurrence
    org.run_until(at("2026-11-05T00:00:00Z")).await;
    let export = org.export().await;
    let permanences: Vec<(String, String)> = export["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["title"] == "Permanence")
        .map(|e| {
            (
                e["starts_at"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        permanences,
        [
            (
                "2026-10-20T19:00:00+02:00".to_string(),
                "scheduled".to_string()
            ),
            (
                "2026-10-27T19:00:00+01:00".to_string(),
                "cancelled".to_string()
            ), // after the clocks went back
            (
                "2026-11-03T19:00:00+01:00".to_string(),
                "scheduled".to_string()
            ),
            (
                "2026-11-10T19:00:00+01:00".to_string(),
                "scheduled".to_string()
            ),
        ]
    );
    let once = export["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["title"] == "Once")
        .count();
    assert_eq!(once, 1, "only recurring events repeat");
}
