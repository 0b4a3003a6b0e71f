//! After downtime, on the simulated clock: Muster catches up with what is
//! still useful, says what it skipped, and never says a wrong time. A
//! downtime is the clock set forward with nothing run meanwhile.

use crate::common::{Org, at, privately};
use chrono::{DateTime, Duration, Utc};
use muster_core::domain::JobState;
use muster_core::inbound::Outbound;

type Sent = Vec<(DateTime<Utc>, Outbound)>;

/// Muster is down from now until `until`, then starts again and runs what
/// is due (and keeps running until `then`).
async fn down_until(org: &Org, until: &str, then: &str) -> Sent {
    org.clock.set(at(until));
    org.run_until(at(then)).await
}

fn texts(sent: &Sent) -> Vec<String> {
    sent.iter().map(|(_, o)| o.text.clone()).collect()
}

fn count(sent: &Sent, needle: &str) -> usize {
    sent.iter().filter(|(_, o)| o.text.contains(needle)).count()
}

/// `paris` in Europe/Paris with an event on 2026-11-25 at 19:00 (18:00 UTC);
/// reminders 24h and 1h before.
async fn evening_event() -> Org {
    let org = Org::with_section().await; // 2026-11-23 09:00 UTC
    org.reply("ana", "/settings timezone Europe/Paris").await;
    org.reply("ana", "/event new \"Assembly\" 2026-11-25 19:00")
        .await;
    org
}

#[tokio::test]
async fn after_a_day_down_only_the_latest_reminder_goes_out_with_the_real_time_left() {
    let org = evening_event().await;
    // Down from the day before until 18:05 on the day (17:05 UTC).
    let sent = down_until(&org, "2026-11-25T17:05:00Z", "2026-11-25T17:06:00Z").await;
    let reminders: Vec<&String> = sent
        .iter()
        .map(|(_, o)| &o.text)
        .filter(|t| t.contains("Reminder"))
        .collect();
    assert_eq!(reminders.len(), 1, "{:#?}", texts(&sent));
    assert!(reminders[0].contains("starts in 55m"), "{}", reminders[0]);
    assert!(!reminders[0].contains("24h"));
    // The organisers hear what was skipped, once.
    let summary = privately(
        &sent.iter().map(|(_, o)| o.clone()).collect::<Vec<_>>(),
        "ana",
    )
    .into_iter()
    .map(|o| o.text.clone())
    .collect::<Vec<_>>();
    assert_eq!(summary.len(), 1, "{summary:?}");
    assert!(
        summary[0].contains("offline") && summary[0].contains("1 reminder was skipped"),
        "{summary:?}"
    );
    // Visible in `schedules` too.
    let schedules = org.reply("ana", "/schedules").await;
    assert!(
        schedules.contains("skipped: reminder:1:1440"),
        "{schedules}"
    );
    // After the start, nothing more comes for that event.
    let later = org.run_until(at("2026-11-26T00:00:00Z")).await;
    assert_eq!(count(&later, "Assembly"), 0, "{:#?}", texts(&later));
}

#[tokio::test]
async fn ten_minutes_down_sends_the_reminder_late_and_says_so_rightly() {
    let org = evening_event().await;
    org.run_until(at("2026-11-25T16:59:00Z")).await;
    // Down across the 1-hour reminder (17:00 UTC), back at 17:10.
    let sent = down_until(&org, "2026-11-25T17:10:00Z", "2026-11-25T17:11:00Z").await;
    assert_eq!(count(&sent, "starts in 50m"), 1, "{:#?}", texts(&sent));
    // Nothing was skipped: no summary.
    let to_ana: Vec<_> = sent
        .iter()
        .filter(|(_, o)| o.text.contains("offline"))
        .collect();
    assert!(to_ana.is_empty(), "{to_ana:?}");
}

#[tokio::test]
async fn late_announcements_go_with_a_note_and_very_late_ones_wait_for_an_organiser() {
    let org = Org::with_section().await; // 2026-11-23 09:00 UTC
    assert!(
        org.reply("ana", "/announce at 2026-11-23 10:00 Bring banners")
            .await
            .contains("will be sent")
    );
    assert!(
        org.reply("ana", "/announce at 2026-11-23 11:00 Meeting tonight")
            .await
            .contains("will be sent")
    );
    // Down from 09:30 to 11:30: the first is 90 minutes late, the second 30.
    let sent = down_until(&org, "2026-11-23T11:30:00Z", "2026-11-23T11:31:00Z").await;
    assert_eq!(count(&sent, "Meeting tonight"), 1, "{:#?}", texts(&sent));
    assert_eq!(count(&sent, "30 min late"), 1, "{:#?}", texts(&sent));
    assert_eq!(count(&sent, "Bring banners"), 0, "held, not sent");
    let summary: Vec<String> = texts(&sent)
        .into_iter()
        .filter(|t| t.contains("While Muster was offline"))
        .collect();
    assert_eq!(summary.len(), 1);
    assert!(summary[0].contains("/announce send 1"), "{summary:?}");
    let listed = org.reply("ana", "/announcements").await;
    assert!(
        listed.contains("#1 held") && listed.contains("Bring banners"),
        "{listed}"
    );
    // The organiser decides: sent now, once.
    assert!(
        org.reply("ana", "/announce send 1")
            .await
            .contains("sent to 1 room")
    );
    let sent = org.run_until(at("2026-11-23T12:00:00Z")).await;
    assert_eq!(count(&sent, "Bring banners"), 1, "{sent:#?}");
    assert!(
        org.reply("ana", "/announce send 1")
            .await
            .contains("not waiting")
    );
}

#[tokio::test]
async fn digests_are_sent_late_within_their_grace_and_never_several_in_a_row() {
    let org = Org::with_section().await; // 2026-11-23 09:00 UTC, a Monday
    org.reply("ana", "/schedule digest \"0 8 * * *\"").await;
    // A week down: one digest is missed, not seven, and the next is tomorrow.
    let sent = down_until(&org, "2026-11-30T12:00:00Z", "2026-11-30T12:01:00Z").await;
    assert_eq!(count(&sent, "Coming up"), 0, "{:#?}", texts(&sent));
    assert!(
        texts(&sent)
            .iter()
            .any(|t| t.contains("1 digest was skipped")),
        "{:#?}",
        texts(&sent)
    );
    let sent = org.run_until(at("2026-12-01T09:00:00Z")).await;
    assert_eq!(count(&sent, "Coming up"), 1, "{:#?}", texts(&sent));
    let missed = org.jobs(JobState::Missed).await;
    assert_eq!(missed.len(), 1, "{missed:?}");

    // Daily: its grace is an hour. 40 minutes late, it goes.
    let sent = down_until(&org, "2026-12-02T08:40:00Z", "2026-12-02T08:41:00Z").await;
    assert_eq!(count(&sent, "Coming up"), 1, "{:#?}", texts(&sent));

    // Weekly: a few hours of grace. Five hours late, it goes.
    org.reply("ana", "/schedule digest \"0 8 * * MON\"").await;
    let sent = down_until(&org, "2026-12-07T13:00:00Z", "2026-12-07T13:01:00Z").await;
    assert_eq!(
        count(&sent, "Coming up"),
        1,
        "weekly within grace: {:#?}",
        texts(&sent)
    );
}

#[tokio::test]
async fn a_confirm_step_is_useful_until_the_start() {
    let org = evening_event().await;
    org.reply("ana", "/settings confirm 24h").await;
    org.reply("bob", "/rsvp 1 yes").await;
    // Down across the confirm step (18:00 UTC the day before), back before the start.
    let sent = down_until(&org, "2026-11-25T10:00:00Z", "2026-11-25T10:01:00Z").await;
    assert!(
        privately(
            &sent.iter().map(|(_, o)| o.clone()).collect::<Vec<_>>(),
            "bob"
        )
        .iter()
        .any(|o| o.text.contains("still coming")),
        "{:#?}",
        texts(&sent)
    );
    // Another event whose confirm step and start both pass while down.
    org.reply("ana", "/event new \"Breakfast\" 2026-11-27 09:00")
        .await;
    org.reply("bob", "/rsvp 2 yes").await;
    let sent = down_until(&org, "2026-11-27T10:00:00Z", "2026-11-27T10:01:00Z").await;
    assert_eq!(count(&sent, "Breakfast"), 0, "{:#?}", texts(&sent));
    assert!(
        texts(&sent)
            .iter()
            .any(|t| t.contains("1 confirmation request was skipped")),
        "{:#?}",
        texts(&sent)
    );
}

#[tokio::test]
async fn clock_steps_neither_repeat_nor_skip_a_job() {
    let org = Org::with_section().await; // 09:00 UTC
    org.reply("ana", "/settings reminders 2h,1h").await;
    org.reply("ana", "/event new \"Walk\" 2026-11-23 12:00")
        .await;
    // Forward an hour and a half (NTP, a VM resumed): the 2h reminder, due
    // at 10:00, goes at 10:30 saying the real time left.
    let sent = down_until(&org, "2026-11-23T10:30:00Z", "2026-11-23T10:30:00Z").await;
    assert_eq!(count(&sent, "starts in 1h30"), 1, "{:#?}", texts(&sent));
    // Back an hour: nothing runs again.
    org.clock.set(at("2026-11-23T09:30:00Z"));
    let sent = org.run_until(at("2026-11-23T10:59:00Z")).await;
    assert_eq!(count(&sent, "Walk"), 0, "{:#?}", texts(&sent));
    // The 1h reminder still comes, at its time.
    let sent = org.run_until(at("2026-11-23T11:30:00Z")).await;
    assert_eq!(count(&sent, "starts in 1h"), 1, "{:#?}", texts(&sent));
    assert_eq!(sent[0].0, at("2026-11-23T11:00:00Z"));
    let _ = Duration::zero();
}
