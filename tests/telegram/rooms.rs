//! Telegram chats as rooms, and the Bot API's failures, through the real
//! binary: a group upgraded to a supergroup keeps its section link; a bot
//! kicked from a group unlinks it; a reply that meets a 5xx arrives later,
//! once; a poll whose connection drops is made again; a member who blocks
//! the bot is not written to again.

use crate::common::{READY, count, fake, texts, wait_text, write_config};
use crate::muster_bin::{Muster, READY_WAIT};
use muster_fakes::telegram::Fault;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_move_and_go_and_faults_delay_without_losing() {
    let _serial = crate::serial::one_at_a_time();
    let fake = fake().await;
    let ana = fake.add_user("Ana");
    let bob = fake.add_user("Bob");
    fake.start_bot(bob);
    let basic = fake.add_group("Lyon", &[ana, bob]);
    let other = fake.add_supergroup("Marseille", &[ana]);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &fake, ana, None);
    let mut muster = Muster::spawn(&config, &dir.path().join("muster.log"), &[]);
    muster.wait_for(READY, READY_WAIT);

    fake.send_text(basic, ana, "/section new south \"South\"");
    wait_text(&fake, basic, &["Section South created"]).await;
    fake.send_text(basic, ana, "/section link south");
    wait_text(&fake, basic, &["now linked"]).await;
    fake.send_text(other, ana, "/section link south");
    wait_text(&fake, other, &["now linked"]).await;

    // The basic group becomes a supergroup: the link follows its new id.
    let upgraded = fake.migrate_to_supergroup(basic, ana);
    fake.send_text(upgraded, ana, "/announce Meeting moved to the big room");
    wait_text(&fake, upgraded, &["Meeting moved"]).await;
    wait_text(&fake, other, &["Meeting moved"]).await;
    assert_eq!(count(&fake, basic, "Meeting moved"), 0);

    // A reply that meets a 502 comes later, once; a dropped poll is made again.
    fake.inject_fault(
        Fault::server_error(502)
            .method("sendMessage")
            .chat(other)
            .times(1),
    );
    fake.inject_fault(Fault::drop_connection().method("getUpdates").times(1));
    fake.send_text(other, ana, "/whoami");
    let answered = wait_text(&fake, other, &["You are Ana"]).await;
    assert!(answered.text.contains("administrator"), "{}", answered.text);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        fake.bot_messages(other)
            .iter()
            .filter(|m| m.text == answered.text)
            .count(),
        1,
        "{:#?}",
        texts(&fake, other)
    );

    // Bob blocks the bot: his private answers stop, he is told in the group.
    fake.block_bot(bob);
    fake.send_text(upgraded, bob, "/mydata");
    wait_text(&fake, upgraded, &["Bob", "cannot write to you privately"]).await;

    // Kicked from Marseille: unlinked, so announcements no longer go there.
    fake.kick_bot(other, ana);
    tokio::time::sleep(Duration::from_secs(2)).await;
    fake.send_text(upgraded, ana, "/announce Second notice");
    wait_text(&fake, upgraded, &["Second notice"]).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(count(&fake, other, "Second notice"), 0);
    fake.send_text(upgraded, ana, "/section south");
    wait_text(&fake, upgraded, &["South", "1 linked room"]).await;

    muster.stop();
}
