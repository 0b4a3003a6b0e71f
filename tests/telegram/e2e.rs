//! The Telegram bot end to end: the real `muster` binary against the fake
//! Bot API. A section with two groups; members answer by command and by
//! button, fill the capacity, one withdraws and the first waitlisted is
//! promoted and told privately; a member who never started the bot is told
//! in the group; an announcement reaches both groups although one answers
//! 429 (nothing goes there before retry_after, the other is served
//! meanwhile); a reminder arrives on time; SIGTERM stops it cleanly.

use crate::common::{READY, WAIT, count, fake, wait_text, write_config};
use crate::muster_bin::{Muster, READY_WAIT};
use muster_fakes::telegram::{CommandScope, Fault, Outcome};
use std::time::{Duration, Instant, SystemTime};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_section_on_two_groups_answers_buttons_floods_and_reminders() {
    let _serial = crate::serial::one_at_a_time();
    let fake = fake().await;
    let ana = fake.add_user("Ana");
    let bob = fake.add_user("Bob");
    let chloe = fake.add_user("Chloe");
    let eve = fake.add_user("Eve");
    let dan = fake.add_user("Dan");
    for user in [ana, bob, chloe, eve] {
        fake.start_bot(user);
    }
    let north = fake.add_supergroup("Paris Nord", &[ana, bob, eve, dan]);
    let south = fake.add_supergroup("Paris Sud", &[ana, chloe]);

    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &fake, ana, None);
    let mut muster = Muster::spawn(&config, &dir.path().join("muster.log"), &[]);
    muster.wait_for(READY, READY_WAIT);

    // The command menu, in both languages, for private chats and groups.
    let fr_groups = fake
        .commands(CommandScope::AllGroupChats, "fr")
        .expect("a French group menu");
    assert!(
        fr_groups.iter().any(|c| c.command == "rejoindre"),
        "{fr_groups:?}"
    );
    let en_private = fake
        .commands(CommandScope::AllPrivateChats, "")
        .expect("an English private menu");
    assert!(en_private.iter().any(|c| c.command == "mydata"));

    fake.send_text(north, ana, "/section@MusterBot new paris \"Paris\"");
    wait_text(&fake, north, &["Section Paris created"]).await;
    fake.send_text(north, ana, "/section link paris");
    wait_text(&fake, north, &["now linked to Paris"]).await;
    fake.send_text(south, ana, "/section link paris");
    wait_text(&fake, south, &["now linked to Paris"]).await;
    // A command for another bot is not ours.
    fake.send_text(north, ana, "/help@OtherBot");
    fake.send_text(north, ana, "/settings reminders 1m");
    wait_text(&fake, north, &["reminders is now 1m"]).await;
    assert_eq!(
        count(&fake, north, "Muster commands"),
        0,
        "answered another bot's command"
    );

    // An event at the first whole minute 75 s or more from now: its
    // 1-minute reminder is due in 15 to 75 s.
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let start = chrono::DateTime::from_timestamp((now + 75 + 59) / 60 * 60, 0).unwrap();
    fake.send_text(
        north,
        ana,
        format!(
            "/event new \"Assembly\" {} cap 2",
            start.format("%Y-%m-%d %H:%M")
        )
        .as_str(),
    );
    let card = wait_text(&fake, north, &["Assembly", "0 going"]).await;
    let buttons = card.buttons();
    assert!(
        buttons
            .iter()
            .any(|(_, data)| data.as_deref() == Some("rsvp 1 yes")),
        "{buttons:?}"
    );

    // Bob presses Going: the answer is his alone, the card is edited in
    // place with its buttons kept.
    let query = fake.press_button(north, card.message_id, bob, "rsvp 1 yes");
    let answer = fake
        .wait_until(WAIT, "bob's answer", |f| {
            f.callback_answer(&query).filter(|a| a.text.is_some())
        })
        .await
        .unwrap();
    assert!(answer.text.unwrap().contains("You are going"));
    let edited = fake
        .wait_until(WAIT, "the card edited", |f| {
            f.message(north, card.message_id)
                .filter(|m| m.text.contains("1 going"))
        })
        .await
        .unwrap();
    assert!(!edited.buttons().is_empty(), "the edit kept the buttons");
    assert_eq!(
        count(&fake, north, "You are going"),
        0,
        "nothing posted in the group"
    );

    // Chloe answers by command in the other group: the event is full.
    fake.send_text(south, chloe, "/rsvp 1 yes");
    wait_text(&fake, south, &["You are going to “Assembly”"]).await;
    // Eve presses Going on the full event: waitlisted, privately.
    let query = fake.press_button(north, card.message_id, eve, "rsvp 1 yes");
    let answer = fake
        .wait_until(WAIT, "eve's answer", |f| {
            f.callback_answer(&query).filter(|a| a.text.is_some())
        })
        .await
        .unwrap();
    assert!(answer.text.unwrap().contains("waitlist"));
    // Bob withdraws with the Can't button: Eve is promoted and told privately.
    fake.press_button(north, card.message_id, bob, "rsvp 1 no");
    wait_text(&fake, eve, &["A place freed up", "Assembly"]).await;
    fake.wait_until(WAIT, "the card after the swap", |f| {
        f.message(north, card.message_id)
            .filter(|m| m.text.contains("2 going") && m.text.contains("1 can't come"))
    })
    .await
    .unwrap();
    let edits = fake.message(north, card.message_id).unwrap().edit_count();
    assert!(edits <= 3, "{edits} edits for 3 presses");

    // Dan never started the bot: asked for his data in the group, he is
    // told there how to open a private chat.
    fake.send_text(north, dan, "/mydata");
    wait_text(&fake, north, &["Dan", "cannot write to you privately"]).await;

    // An announcement reaches both groups although Paris Sud answers 429.
    fake.inject_fault(
        Fault::too_many_requests(3)
            .method("sendMessage")
            .chat(south)
            .times(1),
    );
    let announced = Instant::now();
    fake.send_text(north, ana, "/announce Strike on Thursday");
    wait_text(&fake, north, &["Strike on Thursday"]).await;
    wait_text(&fake, south, &["Strike on Thursday"]).await;
    let to_south: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.is("sendMessage") && r.chat_id == Some(south) && r.at >= announced)
        .collect();
    let refused = to_south
        .iter()
        .find(|r| matches!(r.outcome, Outcome::Error { code: 429, .. }))
        .expect("the fake refused Paris Sud once");
    let next = to_south
        .iter()
        .find(|r| r.seq > refused.seq)
        .expect("sent again");
    assert!(
        next.at.duration_since(refused.at) >= Duration::from_secs(3),
        "sent again {:?} after a retry_after of 3 s",
        next.at.duration_since(refused.at)
    );
    assert_eq!(count(&fake, south, "Strike on Thursday"), 1);
    assert_eq!(count(&fake, north, "Strike on Thursday"), 1);

    // The reminder, on time, in both groups.
    let reminded = |chat| {
        let fake = fake.clone();
        async move {
            fake.wait_until(Duration::from_secs(200), "the reminder", |f| {
                f.bot_messages(chat)
                    .into_iter()
                    .find(|m| m.text.contains("Reminder") && m.text.contains("Assembly"))
            })
            .await
            .unwrap()
        }
    };
    reminded(north).await;
    reminded(south).await;
    let late = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        - (start.timestamp() - 60);
    assert!(late < 20, "the reminder came {late} s after it was due");
    assert_eq!(fake.too_many_requests_served(), 1, "only the injected 429");

    muster.stop();
}

/// Fifty members press Going within a moment: each hears back privately,
/// and the card is edited a handful of times, not fifty.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_presses_makes_a_handful_of_card_edits() {
    let _serial = crate::serial::one_at_a_time();
    let fake = fake().await;
    let ana = fake.add_user("Ana");
    let members: Vec<i64> = (0..50).map(|i| fake.add_user(&format!("M{i}"))).collect();
    let mut everyone = members.clone();
    everyone.push(ana);
    let group = fake.add_supergroup("Paris", &everyone);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &fake, ana, None);
    let mut muster = Muster::spawn(&config, &dir.path().join("muster.log"), &[]);
    muster.wait_for(READY, READY_WAIT);
    fake.send_text(group, ana, "/section new paris \"Paris\"");
    wait_text(&fake, group, &["Section Paris created"]).await;
    fake.send_text(group, ana, "/section link paris");
    wait_text(&fake, group, &["now linked"]).await;
    fake.send_text(group, ana, "/event new \"Rally\" 2030-01-01 12:00 cap 100");
    let card = wait_text(&fake, group, &["Rally", "0 going"]).await;

    let queries: Vec<String> = members
        .iter()
        .map(|m| fake.press_button(group, card.message_id, *m, "rsvp 1 yes"))
        .collect();
    fake.wait_until(WAIT, "every press answered", |f| {
        queries
            .iter()
            .all(|q| f.callback_answer(q).is_some_and(|a| a.text.is_some()))
            .then_some(())
    })
    .await
    .unwrap();
    let edited = fake
        .wait_until(WAIT, "the card at 50", |f| {
            f.message(group, card.message_id)
                .filter(|m| m.text.contains("50 going"))
        })
        .await
        .unwrap();
    let edits = edited.edit_count();
    eprintln!("telegram: 50 presses, {edits} card edits");
    assert!(edits <= 8, "{edits} edits for 50 presses");
    assert_eq!(fake.too_many_requests_served(), 0);
    muster.stop();
}
