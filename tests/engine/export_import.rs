//! Export then import into an empty database gives an identical export.

use crate::common::Org;
use muster_core::domain::{Platform, RoomRef};

#[tokio::test]
async fn export_import_export_is_identical() {
    let org = Org::new().await;
    org.reply("ana", "/section new idf \"Île-de-France\"").await;
    org.reply("ana", "/section new paris \"Paris\" in idf")
        .await;
    org.reply("ana", "/section link paris").await;
    org.reply("ana", "/settings timezone Europe/Paris").await;
    org.reply("ana", "/settings reminders 48h,2h").await;
    org.say_in(&RoomRef::new(Platform::Telegram, "-1001"), "42", "/whoami")
        .await;
    org.reply("bob", "/join").await;
    org.reply("ana", "/verify bob").await;
    org.reply("ana", "/role bob organiser").await;
    org.reply("ana", "/initiative new \"Jardin\" un jardin partagé")
        .await;
    org.reply("chloe", "/support 1").await;
    org.reply(
        "ana",
        "/event new \"Assembly\" 2026-12-01 19:30 at \"Town hall\" cap 2 initiative 1",
    )
    .await;
    for who in ["bob", "chloe", "dan"] {
        org.reply(who, "/rsvp 1 yes").await;
    }
    org.reply("eve", "/rsvp 1 maybe").await;
    org.reply("ana", "/announce Bienvenue !").await;
    org.reply("dan", "/privacy public").await;
    org.reply("eve", "/forgetme").await;
    org.reply("eve", "/forgetme confirm").await;

    let first = org.export().await;
    // The contract's fields are there, with their names.
    assert_eq!(first["sections"][1]["parent"], "idf");
    assert_eq!(first["sections"][1]["rooms"][0]["platform"], "console");
    assert_eq!(first["events"][0]["starts_at"], "2026-12-01T19:30:00+01:00");
    assert_eq!(first["events"][0]["rsvps"][2]["status"], "waitlisted");
    assert_eq!(first["events"][0]["rsvps"][2]["position"], 1);
    assert_eq!(
        first["initiatives"][0]["supporters"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        first["announcements"][0]["deliveries"][0]["status"],
        "pending"
    );

    let target = Org::new().await;
    let doc: muster_core::export::Export = serde_json::from_value({
        let mut v = first.clone();
        v["exported_at"] = serde_json::json!("2026-11-23T09:00:00Z");
        v
    })
    .unwrap();
    let mut tx = target.engine.store().begin().await.unwrap();
    muster_core::export::import(
        tx.as_mut(),
        &doc,
        muster_core::clock::Clock::now(&org.clock),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(first, target.export().await);

    // Importing twice is refused: the target is no longer empty.
    let mut tx = target.engine.store().begin().await.unwrap();
    let err = muster_core::export::import(
        tx.as_mut(),
        &doc,
        muster_core::clock::Clock::now(&org.clock),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("not empty"));
    drop(tx);
    // And the imported organisation works: ids continue after the imported ones.
    assert!(
        target
            .reply("ana", "/event new \"Next\" 2026-12-08 19:30")
            .await
            .contains("#2")
    );
}

/// A live organisation moved SQLite → PostgreSQL → SQLite keeps working:
/// every reminder, digest and scheduled announcement fires once, at its
/// time, on the simulated clock (an import used to drop every job).
#[tokio::test]
async fn a_moved_organisation_keeps_its_reminders_digests_and_announcements() {
    let Some(pg) = muster_storage::testing::PgDb::new().await else {
        return;
    };
    let org = Org::with_section().await; // 2026-11-23 09:00 UTC
    org.reply("ana", "/event new \"Assembly\" 2026-11-25 19:30")
        .await;
    org.reply("ana", "/schedule digest \"0 8 * * *\"").await;
    assert!(
        org.reply("ana", "/announce at 2026-11-24 10:00 Meeting tomorrow")
            .await
            .contains("will be sent")
    );
    // Time passes before each move.
    org.run_until(crate::common::at("2026-11-23T12:00:00Z"))
        .await;
    let middle = Org::at(&pg.url, org.clock.clone()).await;
    org.move_to(&middle).await;
    assert!(
        middle.reply("ana", "/schedules").await.contains("next: "),
        "the digest has its next run"
    );
    assert!(!middle.reply("ana", "/schedules").await.contains("next: -"));
    middle
        .run_until(crate::common::at("2026-11-23T18:00:00Z"))
        .await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("back.db").display());
    let back = Org::at(&url, org.clock.clone()).await;
    middle.move_to(&back).await;

    let sent = back
        .run_until(crate::common::at("2026-11-26T00:00:00Z"))
        .await;
    let at = |needle: &str| -> Vec<String> {
        sent.iter()
            .filter(|(_, o)| o.text.contains(needle))
            .map(|(t, _)| t.format("%m-%d %H:%M").to_string())
            .collect()
    };
    assert_eq!(at("Meeting tomorrow"), ["11-24 10:00"], "{sent:#?}");
    assert_eq!(at("starts in 24h"), ["11-24 19:30"], "{sent:#?}");
    assert_eq!(at("starts in 1h"), ["11-25 18:30"], "{sent:#?}");
    assert_eq!(at("Coming up"), ["11-24 08:00", "11-25 08:00"], "{sent:#?}");
}
