//! A restart whose saved sync position lags behind the Matrix SDK's own.
//! The SDK saves each sync response with its store before Muster answers
//! the response's events and moves its cursor; a process stopped in
//! between (or a pass that failed) starts again from the older cursor, and
//! the server answers with the position the SDK saved already. The SDK then
//! treats the response as seen and hands nothing on; Muster must read the
//! rooms itself, or those commands are lost. Here the lag is made on
//! purpose: the cursor is set back and the handled-message records (which
//! would otherwise make the re-read answer nothing) are pruned.
//! Outside CI, a machine that cannot install Synapse skips with `SKIPPED:`.

use crate::matrix;
use crate::muster_bin;
use crate::synapse;

use matrix::{create_room, say, wait_until, write_config};
use muster_bin::{MATRIX_READY, Muster, READY_WAIT};
use muster_core::clock::{Clock, SystemClock};
use serde_json::json;
use synapse::Synapse;

const CURSOR: &str = "matrix:@muster:localhost";

fn cursor(rt: &tokio::runtime::Runtime, url: &str) -> String {
    rt.block_on(async {
        let store = muster_storage::open(url).await.expect("open the store");
        let mut tx = store.begin().await.expect("begin");
        let cursor = tx.cursor(CURSOR).await.expect("cursor").expect("saved");
        drop(tx);
        store.close().await;
        cursor
    })
}

/// How many initiatives are titled Alpha, as `muster export` says.
fn alphas(url: &str) -> usize {
    let export = matrix::export(url);
    export["initiatives"]
        .as_array()
        .expect("initiatives")
        .iter()
        .filter(|i| i["title"] == "Alpha")
        .count()
}

#[test]
fn a_cursor_behind_the_sdk_store_reads_the_rooms_again() {
    let _serial = crate::serial::one_at_a_time();
    // Without Synapse's cache of sync responses, the restarted process's
    // first sync is computed afresh and ends where the SDK's store is
    // already; with it, the same happens when the killed process's last
    // sync started from the saved cursor (as in failover.rs).
    let Some(hs) =
        Synapse::start_or_skip_with(json!({"caches": {"sync_response_cache_duration": 0}}))
    else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let bot_id = hs.register("muster", "muster-password");
    hs.register("ana", "ana-password");
    let ana = hs.login("ana", "ana-password");
    let dir = tempfile::tempdir().expect("temp dir");
    let config = write_config(dir.path(), &hs, &bot_id, None, "");
    let url = format!("sqlite://{}", dir.path().join("muster.db").display());
    let log = dir.path().join("muster.log");

    let muster = Muster::start_matrix(&config, &log, &[]);
    let room = create_room(&hs, &ana, "Paris", &[&bot_id]);
    wait_until("the bot joined", READY_WAIT, || {
        matrix::joined(&hs, &ana, &room, &bot_id)
    });
    say(&hs, &ana, &room, "new", r#"!section new paris "Paris""#);
    say(&hs, &ana, &room, "link", "!section link paris");
    wait_until("the room is linked", READY_WAIT, || {
        matrix::bodies(&hs, &ana, &room, &bot_id).len() >= 2
    });
    muster.stop();
    let before = cursor(&rt, &url);

    let mut muster = Muster::spawn(&config, &log, &[]);
    muster.wait_for(MATRIX_READY, READY_WAIT);
    say(&hs, &ana, &room, "alpha", r#"!initiative new "Alpha""#);
    wait_until("Alpha answered", READY_WAIT, || {
        matrix::bodies(&hs, &ana, &room, &bot_id)
            .iter()
            .any(|b| b.contains("“Alpha”"))
    });
    assert_eq!(alphas(&url), 1);
    muster.stop();
    assert_ne!(cursor(&rt, &url), before, "the cursor moved past Alpha");

    // The stop fell between the SDK's save and Muster's.
    rt.block_on(async {
        let store = muster_storage::open(&url).await.expect("open the store");
        let mut tx = store.begin().await.expect("begin");
        let now = SystemClock.now();
        tx.set_cursor(CURSOR, &before, now).await.expect("set back");
        tx.prune_handled(now + chrono::Duration::days(1))
            .await
            .expect("prune");
        tx.commit().await.expect("commit");
        store.close().await;
    });

    // Read again, Alpha is handled again (its record is gone): a second
    // initiative. Its reply reuses the first one's transaction id, so the
    // room shows one.
    let muster = Muster::start_matrix(&config, &log, &[]);
    wait_until("Alpha read again", READY_WAIT, || alphas(&url) == 2);
    muster.stop();
}
