//! The organising flows of COMMANDS.md through the engine and real SQLite
//! storage: what members and organisers type, and what they get back.

use crate::common::{Org, console, privately};
use muster_core::domain::{Platform, RoomRef};
use muster_core::inbound::{OutboundKind, Target};

#[tokio::test]
async fn the_first_speaker_is_admin_and_builds_the_tree() {
    let org = Org::new().await;
    assert!(org.reply("ana", "/whoami").await.contains("administrator"));
    assert!(
        org.reply("ana", "/section new idf \"Île-de-France\"")
            .await
            .contains("created")
    );
    assert!(
        org.reply("ana", "/section new paris \"Paris\" in idf")
            .await
            .contains("created")
    );
    assert!(
        org.reply("ana", "/section link paris")
            .await
            .contains("linked to Paris")
    );
    // The second speaker is a plain member.
    assert!(
        org.reply("bob", "/section new lyon \"Lyon\"")
            .await
            .contains("Only an administrator")
    );
    let tree = org.reply("bob", "/sections").await;
    assert!(
        tree.contains("Île-de-France") && tree.contains("  Paris"),
        "{tree}"
    );
}

#[tokio::test]
async fn a_french_speaker_can_do_everything_in_french() {
    let org = Org::new().await;
    org.reply("ana", "/langue fr").await;
    assert!(
        org.reply("ana", "/section nouvelle paris \"Paris\"")
            .await
            .contains("créée")
    );
    assert!(
        org.reply("ana", "/section lier paris")
            .await
            .contains("lié à Paris")
    );
    assert!(
        org.reply("ana", "/reglages langue fr")
            .await
            .contains("vaut maintenant « français »")
    );
    let card = org
        .reply(
            "ana",
            "/evenement nouveau \"Tractage\" 2026-12-05 10:00 lieu \"Marché\" places 2",
        )
        .await;
    assert!(
        card.contains("Tractage") && card.contains("Marché") && card.contains("sam."),
        "{card}"
    );
    // Members of a French section get French replies without setting anything.
    assert!(org.reply("bob", "/rejoindre").await.contains("Bienvenue"));
    assert!(org.reply("bob", "/rsvp 1 oui").await.contains("Vous venez"));
    assert!(
        org.reply("chloe", "/rsvp 1 oui +2")
            .await
            .contains("dépasse l'évènement entier")
    );
    assert!(
        org.reply("chloe", "/rsvp 1 oui")
            .await
            .contains("Vous venez")
    );
    assert!(
        org.reply("dan", "/rsvp 1 oui")
            .await
            .contains("liste d'attente")
    );
    let who = org.reply("ana", "/participants 1").await;
    assert!(
        who.contains("bob") && who.contains("dan") && who.contains("Liste d'attente"),
        "{who}"
    );
    assert!(
        org.reply("ana", "/initiative nouvelle \"Jardin partagé\"")
            .await
            .contains("ouverte")
    );
    assert!(
        org.reply("bob", "/soutenir 1")
            .await
            .contains("(1 soutien)")
    );
    assert!(
        org.reply("bob", "/aide")
            .await
            .contains("Commandes de Muster")
    );
    assert!(org.reply("bob", "/evenements").await.contains("Tractage"));
    assert!(org.reply("ana", "/stats").await.contains("membres"));
}

#[tokio::test]
async fn waitlisted_members_are_promoted_in_order_and_told() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Assembly\" 2026-12-01 19:30 cap 2")
        .await;
    org.reply("bob", "/rsvp 1 yes").await;
    org.reply("chloe", "/rsvp 1 yes").await;
    assert!(
        org.reply("dan", "/rsvp 1 yes")
            .await
            .contains("number 1 on the waitlist")
    );
    assert!(
        org.reply("eve", "/rsvp 1 yes")
            .await
            .contains("number 2 on the waitlist")
    );
    let out = org.say("chloe", "/rsvp 1 no").await;
    let told = privately(&out, "dan");
    assert_eq!(told.len(), 1, "{out:?}");
    assert!(told[0].text.contains("A place freed up"));
    assert!(privately(&out, "eve").is_empty());
    let card = org.reply("eve", "/event 1").await;
    assert!(
        card.contains("2 going") && card.contains("waitlist: 1"),
        "{card}"
    );
}

#[tokio::test]
async fn bad_input_changes_nothing_and_says_why() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Assembly\" 2026-12-01 19:30 cap 2")
        .await;
    let before = org.export().await;
    let cases = [
        ("/evnt 1", "Did you mean"),
        ("/event new \"Late\" 2020-01-01 10:00", "in the past"),
        ("/event new \"Odd\" someday", "could not read the time"),
        ("/event new \"Unclosed", "not closed"),
        ("/rsvp 99 yes", "no event #99"),
        ("/rsvp 1 later", "Usage: /rsvp"),
        ("/rsvp 1 now", "Usage: /rsvp"),
        ("/section new BAD! \"x\"", "Usage"),
        ("/support 4", "no initiative #4"),
    ];
    for (line, expected) in cases {
        let out = org.say("bob", line).await;
        assert_eq!(out.len(), 1, "{line}: {out:?}");
        assert_eq!(out[0].kind, OutboundKind::Error, "{line}");
        assert!(out[0].text.contains(expected), "{line}: {}", out[0].text);
    }
    let out = org.say("ana", "/role nobody organiser").await;
    assert!(
        out[0].text.contains("No member `nobody`"),
        "{}",
        out[0].text
    );
    // A stranger's failed command does not even create their member record.
    org.say("zed", "/rsvp 1 maybe +40").await;
    assert_eq!(before, org.export().await);
}

#[tokio::test]
async fn permissions_are_checked_and_roles_inherit_down_the_tree() {
    let org = Org::new().await;
    org.reply("ana", "/section new idf \"IdF\"").await;
    org.reply("ana", "/section new paris \"Paris\" in idf")
        .await;
    org.reply("ana", "/section link idf").await;
    org.reply("bob", "/join").await;
    assert!(
        org.reply("bob", "/announce Hello")
            .await
            .contains("Only organisers")
    );
    assert!(
        org.reply("ana", "/role bob organiser")
            .await
            .contains("bob")
    );
    // Organiser of the region, so of Paris too.
    let paris = RoomRef::new(Platform::Telegram, "-100");
    assert!(
        org.say_in(&paris, "ana-tg", "/section link paris").await[0]
            .text
            .contains("Only organisers")
    );
    org.reply("ana", "/section unlink").await;
    org.reply("bob", "/section link paris").await;
    assert!(
        org.reply("bob", "/announce Hello")
            .await
            .contains("sent to 1 room")
    );
    assert!(
        org.reply("bob", "/settings approval open")
            .await
            .contains("Only admins")
    );
}

#[tokio::test]
async fn proposals_wait_for_approval_and_verification_is_enforced() {
    let org = Org::with_section().await;
    org.reply("bob", "/join").await;
    assert!(
        org.reply("bob", "/event new \"Picnic\" 2026-12-06 12:00")
            .await
            .contains("proposed")
    );
    assert!(
        org.reply("chloe", "/rsvp 1 yes")
            .await
            .contains("waiting for an organiser's approval")
    );
    assert!(
        org.reply("bob", "/rsvp 1 yes")
            .await
            .contains("waiting for an organiser")
    );
    let out = org.say("ana", "/event approve 1").await;
    assert!(out[0].text.contains("approved"));
    assert_eq!(privately(&out, "bob").len(), 1);
    assert!(
        org.reply("chloe", "/rsvp 1 yes")
            .await
            .contains("You are going")
    );

    org.reply("ana", "/settings verification required").await;
    assert!(
        org.reply("bob", "/initiative new \"Bikes\"")
            .await
            .contains("verified member")
    );
    org.reply("ana", "/verify bob").await;
    assert!(
        org.reply("bob", "/initiative new \"Bikes\"")
            .await
            .contains("proposed")
    );
    assert!(
        org.reply("ana", "/initiative approve 1")
            .await
            .contains("open")
    );
    assert!(
        org.reply("chloe", "/support 1")
            .await
            .contains("(1 supporter)")
    );
}

#[tokio::test]
async fn announcements_reach_every_linked_room_of_the_subtree() {
    let org = Org::new().await;
    org.reply("ana", "/section new idf \"IdF\"").await;
    org.reply("ana", "/section new paris \"Paris\" in idf")
        .await;
    org.reply("ana", "/section link idf").await;
    // Ana's Telegram and Matrix accounts become the same (admin) member.
    let tg = RoomRef::new(Platform::Telegram, "-1001");
    let mx = RoomRef::new(Platform::Matrix, "!abc:localhost");
    for (room, user) in [(&tg, "111"), (&mx, "@ana:localhost")] {
        let out = org.say("ana", "/link").await;
        let code = privately(&out, "ana")[0]
            .text
            .split_whitespace()
            .nth(3)
            .unwrap()
            .to_string();
        org.say_in(room, user, &format!("/link {code}")).await;
        assert!(
            org.say_in(room, user, "/section link paris").await[0]
                .text
                .contains("linked")
        );
    }
    let out = org.say("ana", "/announce Region only").await;
    assert!(out[0].text.contains("sent to 1 room"), "{:?}", out[0]);
    let out = org.say("ana", "/announce all Strike on Thursday").await;
    assert!(out[0].text.contains("sent to 3 rooms"), "{:?}", out[0]);
    assert_eq!(out.len(), 1, "notices go through the outbox, not the reply");
    let export = org.export().await;
    let deliveries = export["announcements"][1]["deliveries"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(deliveries.len(), 3);
    assert!(deliveries.iter().all(|d| d["status"] == "pending"));
    let rooms: std::collections::BTreeSet<String> = deliveries
        .iter()
        .map(|d| {
            format!(
                "{}:{}",
                d["platform"].as_str().unwrap(),
                d["room_id"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        rooms.contains("console:console")
            && rooms.contains("telegram:-1001")
            && rooms.contains("matrix:!abc:localhost")
    );
    let keys: std::collections::BTreeSet<_> = deliveries
        .iter()
        .map(|d| d["idempotency_key"].as_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 3, "one idempotency key per delivery");

    // A Telegram dispatcher carries exactly the Telegram delivery.
    let telegram = std::sync::Arc::new(crate::common::Recorder::new(Platform::Telegram));
    let dispatcher = org.dispatcher(telegram.clone());
    let report = dispatcher.dispatch_due().await.unwrap();
    assert_eq!(report.sent, 1);
    let sent = telegram.sent();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].text.contains("Strike on Thursday"));
    assert_eq!(sent[0].target, Target::Room(tg.clone()));
    assert!(
        sent[0]
            .idempotency_key
            .as_deref()
            .unwrap()
            .starts_with("a2-")
    );
    let export = org.export().await;
    let tg_delivery = export["announcements"][1]["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["platform"] == "telegram")
        .unwrap()
        .clone();
    assert_eq!(tg_delivery["status"], "sent");
    assert_eq!(
        dispatcher.dispatch_due().await.unwrap().sent,
        0,
        "sent once"
    );
    let _ = (console(), mx);
}

#[tokio::test]
async fn identities_link_across_platforms_with_a_one_time_code() {
    let org = Org::with_section().await;
    let tg = RoomRef::new(Platform::Telegram, "-1001");
    let out = org.say("bob", "/link").await;
    let dm = privately(&out, "bob");
    assert_eq!(dm.len(), 1);
    let code = dm[0].text.split_whitespace().nth(3).unwrap().to_string();
    org.say("bob", "/join").await;
    let out = org.say_in(&tg, "777", &format!("/link {code}")).await;
    assert!(out[0].text.contains("one member"), "{:?}", out[0]);
    let me = org.say_in(&tg, "777", "/whoami").await;
    assert!(
        me[0].text.contains("console:bob") && me[0].text.contains("telegram:777"),
        "{}",
        me[0].text
    );
    // A code works once.
    let again = org.say_in(&tg, "888", &format!("/link {code}")).await;
    assert!(again[0].text.contains("unknown or expired"));
}

#[tokio::test]
async fn forgetting_a_member_keeps_the_counts() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Assembly\" 2026-12-01 19:30 cap 10")
        .await;
    org.reply("bob", "/rsvp 1 yes +2").await;
    assert!(
        org.reply("bob", "/forgetme")
            .await
            .contains("/forgetme confirm")
    );
    assert!(
        org.reply("bob", "/forgetme confirm")
            .await
            .contains("erased")
    );
    let card = org.reply("ana", "/event 1").await;
    assert!(card.contains("3 going"), "{card}");
    let export = org.export().await;
    let text = export.to_string();
    assert!(!text.contains("\"bob\""), "bob's name survived: {text}");
}

#[tokio::test]
async fn edits_tell_attendees_what_changed() {
    let org = Org::with_section().await;
    org.reply(
        "ana",
        "/event new \"Assembly\" 2026-12-01 19:30 at \"Town hall\"",
    )
    .await;
    org.reply("bob", "/rsvp 1 yes").await;
    let out = org.say("ana", "/event edit 1 place Library").await;
    let told = privately(&out, "bob");
    assert_eq!(told.len(), 1);
    assert!(
        told[0].text.contains("Town hall → Library"),
        "{}",
        told[0].text
    );
    let out = org.say("ana", "/event cancel 1 rain").await;
    assert!(privately(&out, "bob")[0].text.contains("Cancelled"));
    assert!(
        org.reply("bob", "/rsvp 1 no")
            .await
            .contains("cancelled or over")
    );
}

#[tokio::test]
async fn checkin_after_the_start_feeds_attendance() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Assembly\" 2026-11-24 19:30")
        .await;
    org.reply("bob", "/rsvp 1 yes").await;
    org.reply("chloe", "/rsvp 1 yes").await;
    assert!(
        org.reply("ana", "/checkin 1 bob")
            .await
            .contains("opens when the event starts")
    );
    org.clock.advance(chrono::Duration::days(2));
    assert!(
        org.reply("ana", "/checkin 1 bob")
            .await
            .contains("checked in")
    );
    let stats = org.reply("ana", "/stats").await;
    assert!(stats.contains("Attendance: 50% (1 no-show)"), "{stats}");
}

#[tokio::test]
async fn nudge_reaches_members_who_have_not_answered() {
    let org = Org::with_section().await;
    org.reply("bob", "/join").await;
    org.reply("chloe", "/join").await;
    org.reply("ana", "/event new \"Assembly\" 2026-12-01 19:30")
        .await;
    org.reply("bob", "/rsvp 1 no").await;
    let out = org.say("ana", "/nudge 1").await;
    // Ana is the root admin, not a member of the section: only chloe is nudged.
    assert!(out[0].text.contains("1 member who"), "{}", out[0].text);
    assert_eq!(privately(&out, "chloe").len(), 1);
    assert!(privately(&out, "bob").is_empty());
}

#[tokio::test]
async fn one_member_cannot_flood_the_room() {
    let tg = RoomRef::new(Platform::Telegram, "-1001");
    let org = Org::with(muster_core::engine::EngineSettings {
        commands_per_minute: 6,
        root_admins: vec![muster_core::domain::Identity {
            platform: Platform::Telegram,
            user_id: "root".into(),
        }],
        ..Default::default()
    })
    .await;
    let mut answered = 0;
    let mut warnings = 0;
    for _ in 0..20 {
        let out = org.say_in(&tg, "spammer", "/whoami").await;
        match out.first() {
            Some(o) if o.kind == OutboundKind::Error => warnings += 1,
            Some(_) => answered += 1,
            None => {}
        }
    }
    assert_eq!(
        answered, 2,
        "the burst is a third of the minute's allowance"
    );
    assert_eq!(warnings, 1, "told once, then silence");
    // Others are not delayed.
    assert!(!org.say_in(&tg, "calm", "/whoami").await.is_empty());
    // Root admins (the operators of muster.toml) are not limited.
    for _ in 0..20 {
        let out = org.say_in(&tg, "root", "/whoami").await;
        assert_eq!(out[0].kind, OutboundKind::Reply, "{out:?}");
    }
    org.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(
        org.say_in(&tg, "spammer", "/whoami").await[0].kind,
        OutboundKind::Reply
    );
}

#[tokio::test]
async fn attendee_names_are_private_unless_a_member_opts_in() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Assembly\" 2026-12-01 19:30")
        .await;
    org.reply("bob", "/rsvp 1 yes +1").await;
    org.reply("chloe", "/rsvp 1 maybe").await;
    org.reply("chloe", "/privacy public").await;
    let seen_by_member = org.reply("dan", "/attendees 1").await;
    assert!(!seen_by_member.contains("bob"), "{seen_by_member}");
    assert!(
        seen_by_member.contains("chloe") && seen_by_member.contains("1 more"),
        "{seen_by_member}"
    );
    let seen_by_organiser = org.reply("ana", "/attendees 1").await;
    assert!(
        seen_by_organiser.contains("bob (+1)") && seen_by_organiser.contains("chloe"),
        "{seen_by_organiser}"
    );
}

#[tokio::test]
async fn mydata_sends_everything_privately() {
    let org = Org::with_section().await;
    org.reply("ana", "/event new \"Assembly\" 2026-12-01 19:30")
        .await;
    org.reply("bob", "/rsvp 1 yes").await;
    let out = org.say("bob", "/mydata").await;
    assert!(
        out.iter()
            .any(|o| o.text.contains("sent you your data privately"))
    );
    let data = privately(&out, "bob");
    assert_eq!(data.len(), 1);
    let json = data[0].text.split_once('\n').unwrap().1;
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["name"], "bob");
    assert_eq!(v["rsvps"][0]["status"], "going");
    assert_eq!(v["memberships"][0]["section"], "paris");
}
