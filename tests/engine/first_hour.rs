//! What an organiser hits in the first hour, each a regression test of a
//! defect found by trying Muster as a new user would.

use crate::common::Org;
use muster_core::domain::DeliveryStatus;

async fn outbox_size(org: &Org) -> u64 {
    let mut tx = org.engine.store().begin().await.unwrap();
    tx.outbox_counts()
        .await
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum()
}

#[tokio::test]
async fn a_scheduled_announcement_with_a_bad_time_is_refused_never_sent_at_once() {
    let org = Org::with_section().await;
    let before = org.export().await;
    for line in [
        "/announce at tomorow 09:00 Meeting",
        "/announce at yesterday 09:00 Meeting",
        "/announce at 2026-11-20 10:00 Meeting",
        "/annoncer à demian 19h réunion",
    ] {
        let out = org.say("ana", line).await;
        assert_eq!(out.len(), 1, "{line}: {out:?}");
        assert_eq!(
            out[0].kind,
            muster_core::inbound::OutboundKind::Error,
            "{line}: {}",
            out[0].text
        );
        assert!(!out[0].text.contains("Announcement sent"), "{line}");
    }
    assert_eq!(outbox_size(&org).await, 0, "nothing queued");
    assert_eq!(org.export().await, before, "nothing changed");
    // The reason is said, with the way out.
    let out = org.reply("ana", "/announce at tomorow 09:00 Meeting").await;
    assert!(
        out.contains("tomorow 09:00 Meeting") && out.contains("quotes"),
        "{out}"
    );
    let past = org
        .reply("ana", "/announce at 2026-11-20 10:00 Meeting")
        .await;
    assert!(past.contains("past"), "{past}");
    // Text that starts with "at" goes out when quoted.
    assert!(
        org.reply("ana", "/announce \"At the town hall tonight\"")
            .await
            .contains("1 room")
    );
    let _ = DeliveryStatus::Pending;
}

#[tokio::test]
async fn forgetme_confirm_needs_a_request_and_the_last_admin_hands_over_first() {
    let org = Org::with_section().await;
    org.reply("bob", "/join").await;
    // A confirmation nobody asked for erases nothing.
    let out = org.reply("bob", "/forgetme confirm").await;
    assert!(
        out.contains("Nothing was erased") && out.contains("/forgetme"),
        "{out}"
    );
    assert!(org.reply("bob", "/whoami").await.contains("bob"));
    // Asked, then confirmed: erased.
    org.reply("bob", "/forgetme").await;
    assert!(
        org.reply("bob", "/forgetme confirm")
            .await
            .contains("erased")
    );
    // A confirmation long after the request erases nothing.
    org.reply("chloe", "/join").await;
    org.reply("chloe", "/forgetme").await;
    org.clock.advance(chrono::Duration::minutes(11));
    assert!(
        org.reply("chloe", "/forgetme confirm")
            .await
            .contains("Nothing was erased")
    );

    // Ana is the only administrator: she cannot erase herself yet.
    org.reply("ana", "/forgetme").await;
    let out = org.reply("ana", "/forgetme confirm").await;
    assert!(out.contains("last administrator"), "{out}");
    assert!(org.reply("ana", "/whoami").await.contains("administrator"));
    // Once someone else is admin, she can.
    org.reply("ana", "/role chloe admin").await;
    org.reply("ana", "/forgetme").await;
    assert!(
        org.reply("ana", "/forgetme confirm")
            .await
            .contains("erased")
    );
}

#[tokio::test]
async fn what_is_typed_is_read_as_meant_or_refused_with_the_part_that_failed() {
    let org = Org::with_section().await; // 2026-11-23 09:00 UTC, a Monday
    // Silent misreads are now errors with the usage line.
    let out = org.reply("ana", "/section new bad slug \"x\"").await;
    assert!(
        out.contains("Unexpected") && out.contains("/section new"),
        "{out}"
    );
    let out = org.reply("ana", "/event new tomorrow 10:00").await;
    assert!(
        out.contains("Missing title") && out.contains("/event new"),
        "{out}"
    );
    assert!(org.reply("ana", "/sections").await.contains("Paris"));
    assert!(!org.reply("ana", "/sections").await.contains("slug"));

    // Dates as people write them.
    for (when, shown) in [
        ("15 décembre 19h30", "2026-12-15 19:30"),
        ("December 16 19:30", "2026-12-16 19:30"),
        ("dec 17 7pm", "2026-12-17 19:00"),
        ("le 3 mars à 18h", "2027-03-03 18:00"),
        ("2026-12-18T19:30:00+00:00", "2026-12-18 19:30"),
    ] {
        let out = org
            .reply("ana", &format!("/event new \"Meeting\" {when}"))
            .await;
        assert!(out.contains(shown), "{when}: {out}");
    }
    // A place without quotes is the place, not part of the time.
    let out = org
        .reply("ana", "/event new \"Assembly\" friday 10:00 at Bar du coin")
        .await;
    assert!(
        out.contains("Bar du coin") && out.contains("2026-11-27 10:00"),
        "{out}"
    );
    // A day without a time: the time is asked for.
    let out = org.reply("ana", "/event new \"Assembly\" friday").await;
    assert!(out.contains("no time"), "{out}");
    // An unreadable part is shown, alone.
    let out = org
        .reply("ana", "/event new \"Assembly\" friday 10:00 bring cake")
        .await;
    assert!(out.contains("`bring cake`"), "{out}");
}

#[tokio::test]
async fn mistakes_in_help_settings_and_schedules_say_what_would_work() {
    let org = Org::with_section().await;
    let out = org.reply("ana", "/help evnet").await;
    assert!(
        out.contains("Did you mean") && out.contains("/help event"),
        "{out}"
    );
    let out = org.reply("ana", "/settings approval maybe").await;
    assert!(
        out.contains("`maybe`") && out.contains("open") && out.contains("required"),
        "{out}"
    );
    let out = org.reply("ana", "/settings waitlist sometimes").await;
    assert!(out.contains("auto") && out.contains("notify"), "{out}");
    let out = org.reply("ana", "/settings colour blue").await;
    assert!(
        out.contains("timezone") && out.contains("waitlist"),
        "{out}"
    );
    let out = org.reply("ana", "/settings timezone paris").await;
    assert!(out.contains("`Europe/Paris`"), "{out}");
    let out = org
        .reply("ana", "/settings timezone america/new_yrok")
        .await;
    assert!(out.contains("`America/New_York`"), "{out}");
    // French day names in a digest's schedule: Monday 09:00.
    let out = org.reply("ana", "/programmer digest \"0 9 * * LUN\"").await;
    assert!(out.contains("2026-11-30"), "the next Monday: {out}");
}

#[tokio::test]
async fn places_parties_check_ins_and_series_behave_as_organisers_expect() {
    let org = Org::with_section().await; // 2026-11-23 09:00 UTC
    org.reply("ana", "/event new \"Assembly\" 2026-11-25 19:30 cap 4")
        .await;
    for who in ["bob", "chloe"] {
        org.reply(who, "/join").await;
    }
    org.reply("bob", "/rsvp 1 yes +1").await;
    org.reply("chloe", "/rsvp 1 yes").await;
    // Full with 4 seats taken? Not yet: 3 of 4. Dan's party of 3 waits, whole.
    org.reply("dan", "/join").await;
    let out = org.reply("dan", "/rsvp 1 yes +2").await;
    assert!(out.contains("waitlist"), "{out}");
    // A party larger than the event is told so, not "0 left".
    // A party larger than the event waits too, and is told why.
    let out = org.reply("eve", "/rsvp 1 yes +5").await;
    assert!(
        out.contains("waitlist") && out.contains("more than the whole event"),
        "{out}"
    );
    let out = org.reply("eve", "/rsvp 1 no").await;
    assert!(out.contains("can't come"), "{out}");

    // Bob leaves the section: his two places go to the waitlist.
    let out = org.say("bob", "/leave").await;
    assert!(
        crate::common::privately(&out, "dan")
            .iter()
            .any(|o| o.text.contains("A place freed up")),
        "{out:?}"
    );
    let card = org.reply("ana", "/event 1").await;
    // Chloe and Dan's party of three: the four places, nobody waiting.
    assert!(
        card.contains("4 going") && card.contains("waitlist: 0"),
        "{card}"
    );

    // Check-in: several at once; only those going, the others are named.
    org.reply("eve", "/rsvp 1 maybe").await;
    org.clock.set(crate::common::at("2026-11-25T19:40:00Z"));
    let out = org.reply("ana", "/checkin 1 chloe dan eve frank").await;
    assert!(
        out.contains("chloe checked in") && out.contains("dan checked in"),
        "{out}"
    );
    assert!(out.contains("eve did not answer going"), "{out}");
    assert!(out.contains("no member") || out.contains("frank"), "{out}");
    org.clock.set(crate::common::at("2026-11-26T09:00:00Z"));
    let stats = org.reply("ana", "/stats").await;
    assert!(stats.contains("100%") && !stats.contains("150%"), "{stats}");
}

#[tokio::test]
async fn a_recurring_series_can_be_ended() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Weekly\" 2026-11-24 19:00 every week")
        .await;
    // The first occurrence starts and makes the next.
    org.run_until(crate::common::at("2026-11-24T19:30:00Z"))
        .await;
    let events = org.reply("ana", "/events all").await;
    assert!(events.contains("#2"), "{events}");
    let out = org.reply("ana", "/event stop 1").await;
    assert!(out.contains("ends"), "{out}");
    // No third occurrence after the second starts.
    org.run_until(crate::common::at("2026-12-10T00:00:00Z"))
        .await;
    let events = org.reply("ana", "/events all").await;
    assert!(!events.contains("#3"), "{events}");
    let out = org.reply("ana", "/event stop 1").await;
    assert!(out.contains("does not repeat"), "{out}");
    // `event cancel <id> series` says the same.
    org.reply("ana", "/event new \"Monthly\" 2026-12-24 19:00 every month")
        .await;
    assert!(
        org.reply("ana", "/event cancel 3 series")
            .await
            .contains("ends")
    );
}

#[tokio::test]
async fn organisers_are_told_of_proposals_and_decide_with_a_button() {
    let org = Org::with_section().await; // approval required by default
    org.reply("bob", "/join").await;
    org.reply("ana", "/role bob organiser").await;
    org.reply("chloe", "/join").await;
    let out = org
        .say("chloe", "/event new \"Picnic\" 2026-11-28 12:00")
        .await;
    assert!(
        out[0].text.contains("an organiser will review it"),
        "{out:?}"
    );
    // Bob, organiser of the section, is told privately, with the buttons.
    let told = crate::common::privately(&out, "bob");
    assert_eq!(told.len(), 1, "{out:?}");
    assert!(told[0].text.contains("chloe proposes event #1") && told[0].text.contains("Picnic"));
    assert_eq!(told[0].buttons.len(), 2);
    let approve = told[0].buttons[0].gesture;
    // Others asking about it learn that it waits, not that it is missing.
    org.reply("dan", "/join").await;
    let out = org.reply("dan", "/event 1").await;
    assert!(out.contains("waiting for an organiser's approval"), "{out}");
    assert!(!out.contains("Picnic"), "{out}");
    // The queue.
    let queue = org.reply("bob", "/pending").await;
    assert!(
        queue.contains("Picnic") && queue.contains("/event approve 1"),
        "{queue}"
    );
    assert!(org.reply("dan", "/pending").await.contains("organiser"));
    // Bob presses Approve: the author is told, the event is on.
    let out = org.press("bob", approve).await;
    let author = crate::common::privately(&out, "chloe");
    assert!(
        author.iter().any(|o| o.text.contains("approved")),
        "{out:?}"
    );
    assert!(org.reply("dan", "/event 1").await.contains("Picnic"));
    assert!(org.reply("bob", "/pending").await.contains("Nothing waits"));
    // An initiative proposed by a member, rejected by button.
    let out = org.say("dan", "/initiative new \"Garden\"").await;
    let reject = crate::common::privately(&out, "bob")[0].buttons[1].gesture;
    let out = org.press("bob", reject).await;
    assert!(
        crate::common::privately(&out, "dan")
            .iter()
            .any(|o| o.text.contains("not accepted")),
        "{out:?}"
    );
}

#[tokio::test]
async fn a_zone_change_never_moves_events_silently() {
    let org = Org::with_section().await; // UTC
    org.reply("ana", "/event new \"Assembly\" 2026-12-01 19:30")
        .await;
    // By default the clock time stays: 19:30, now in Paris.
    let out = org.say("ana", "/settings timezone Europe/Paris").await;
    let text: Vec<&str> = out.iter().map(|o| o.text.as_str()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("keep their clock times") || t.contains("keeps its clock time")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t.contains("instants")), "{text:?}");
    let card = org.reply("ana", "/event 1").await;
    assert!(card.contains("19:30"), "{card}");
    let export = org.export().await;
    assert_eq!(
        export["events"][0]["starts_at"],
        "2026-12-01T19:30:00+01:00"
    );
    // Keeping the instant instead: 19:30 Paris is 18:30 in London.
    let out = org
        .say("ana", "/settings timezone Europe/London instants")
        .await;
    assert!(
        out.iter().any(|o| o.text.contains("keeps its instant")),
        "{out:?}"
    );
    let card = org.reply("ana", "/event 1").await;
    assert!(card.contains("18:30"), "{card}");
    // The reminders follow the event.
    let sent = org
        .run_until(crate::common::at("2026-12-02T00:00:00Z"))
        .await;
    let reminder = sent
        .iter()
        .find(|(_, o)| o.text.contains("starts in 1h"))
        .unwrap_or_else(|| panic!("no 1-hour reminder: {sent:#?}"));
    assert_eq!(reminder.0, crate::common::at("2026-12-01T17:30:00Z"));
}

/// Changing the reminder offsets keeps those that stay: they were cancelled
/// and scheduled again under the same key, which used to leave them off.
#[tokio::test]
async fn reminders_kept_across_a_settings_change_still_fire() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Assembly\" 2026-11-25 19:30")
        .await;
    org.reply("ana", "/settings reminders 24h,1h,10m").await;
    let sent = org
        .run_until(crate::common::at("2026-11-26T00:00:00Z"))
        .await;
    let leads: Vec<String> = sent
        .iter()
        .filter(|(_, o)| o.text.contains("Reminder"))
        .map(|(t, _)| t.format("%d %H:%M").to_string())
        .collect();
    assert_eq!(leads, ["24 19:30", "25 18:30", "25 19:20"], "{sent:#?}");
}

#[tokio::test]
async fn a_going_button_keeps_the_guests_announced() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Assembly\" 2026-11-25 19:30 cap 10")
        .await;
    org.reply("bob", "/rsvp 1 yes +1").await;
    let going = muster_core::gesture::Gesture::Rsvp {
        event: muster_core::domain::EventId(1),
        answer: muster_core::domain::RsvpAnswer::Yes,
    };
    org.press("bob", going).await;
    assert!(org.reply("ana", "/event 1").await.contains("2 going"));
    // Typed without `+n`, it is the member alone.
    org.reply("bob", "/rsvp 1 yes").await;
    assert!(org.reply("ana", "/event 1").await.contains("1 going"));
}
