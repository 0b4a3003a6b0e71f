//! Messages handled once, with their replies kept; cursors that move.

use std::sync::Arc;

use muster_core::domain::Platform;
use muster_core::store::*;

use super::at;

pub async fn handled_messages_recorded_once(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.handled_replies(Platform::Matrix, "$ev1").await.unwrap(),
        None
    );
    assert!(
        tx.record_handled(Platform::Matrix, "$ev1", "[1]", at(0))
            .await
            .unwrap()
    );
    // The same id on another platform is another message.
    assert!(
        tx.record_handled(Platform::Telegram, "$ev1", "[2]", at(0))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert!(
        !tx.record_handled(Platform::Matrix, "$ev1", "[3]", at(1))
            .await
            .unwrap(),
        "a second record of the same message is refused"
    );
    assert_eq!(
        tx.handled_replies(Platform::Matrix, "$ev1")
            .await
            .unwrap()
            .as_deref(),
        Some("[1]"),
        "the first replies stay"
    );
    // A record in a transaction that rolls back is not kept.
    assert!(
        tx.record_handled(Platform::Matrix, "$ev2", "[4]", at(1))
            .await
            .unwrap()
    );
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.handled_replies(Platform::Matrix, "$ev2").await.unwrap(),
        None
    );
    assert!(
        tx.record_handled(Platform::Matrix, "$ev2", "[5]", at(5))
            .await
            .unwrap()
    );
    assert_eq!(tx.prune_handled(at(3)).await.unwrap(), 2);
    assert_eq!(
        tx.handled_replies(Platform::Matrix, "$ev1").await.unwrap(),
        None
    );
    assert_eq!(
        tx.handled_replies(Platform::Matrix, "$ev2")
            .await
            .unwrap()
            .as_deref(),
        Some("[5]")
    );
    tx.commit().await.unwrap();
}

pub async fn cursors_set_and_move(store: Arc<dyn Store>) {
    let name = "matrix:@bot:example.org";
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.cursor(name).await.unwrap(), None);
    tx.set_cursor(name, "s1_2", at(0)).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.cursor(name).await.unwrap().as_deref(), Some("s1_2"));
    tx.set_cursor(name, "s9_9", at(1)).await.unwrap();
    assert_eq!(tx.cursor("telegram:bot").await.unwrap(), None);
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.cursor(name).await.unwrap().as_deref(),
        Some("s1_2"),
        "a move that rolls back is not kept"
    );
}
