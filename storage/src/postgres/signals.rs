//! Wake-ups across processes: a transaction that adds work (a job, a
//! delivery, a delivery put back for retry) also runs `pg_notify` on
//! [`CHANNEL`], and every process's [`PgWorkSignals`] `LISTEN`s there.
//! PostgreSQL delivers a notification when, and only if, its transaction
//! commits, and folds identical ones of one transaction into one; a
//! transaction notifies at most once anyway (`PgTx::notified`).
//!
//! Commits that notify take a cluster-wide lock on the notification queue
//! for a moment, so they serialise with each other; at Muster's write rates
//! (commands, not bulk loads) that costs nothing measurable.

use std::time::Duration;

use async_trait::async_trait;
use muster_core::store::{StoreError, StoreResult, WorkSignals};
use sqlx::pool::CloseEvent;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};

use super::{PgTx, db_err};

/// The channel of "new work may be due".
pub(crate) const CHANNEL: &str = "muster_work";

/// How long a listener waits for its connection, at first and when it
/// reconnects, before reporting itself gone.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl PgTx {
    /// Tells every listening process, once this transaction commits, that
    /// new work may be due. Once per transaction: later calls do nothing.
    pub(super) async fn signal_work(&mut self) -> StoreResult<()> {
        if !self.notified {
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(CHANNEL)
                .execute(&mut *self.tx)
                .await
                .map_err(db_err)?;
            self.notified = true;
        }
        Ok(())
    }
}

/// A `LISTEN` on [`CHANNEL`], on a connection of its own (a pool of one,
/// which the listener reconnects through), so it never takes a connection
/// from the store's commands. Ends when the store's pool closes.
pub struct PgWorkSignals {
    listener: PgListener,
    store_closed: CloseEvent,
}

impl PgWorkSignals {
    /// Listening once this returns: anything committed afterwards is heard.
    pub(super) async fn listen(
        options: &PgConnectOptions,
        store_closed: CloseEvent,
    ) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .acquire_timeout(CONNECT_TIMEOUT)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_lazy_with(options.clone());
        let mut listener = PgListener::connect_with(&pool).await.map_err(db_err)?;
        listener.listen(CHANNEL).await.map_err(db_err)?;
        Ok(PgWorkSignals {
            listener,
            store_closed,
        })
    }
}

#[async_trait]
impl WorkSignals for PgWorkSignals {
    async fn next(&mut self) -> StoreResult<()> {
        // `try_recv` is cancel-safe: it only consumes whole messages. When
        // the connection drops it reconnects (and LISTENs again) before
        // returning `None`; what was sent meanwhile is lost, so that is a
        // signal too.
        match self.store_closed.do_until(self.listener.try_recv()).await {
            Ok(Ok(Some(_notification))) => Ok(()),
            Ok(Ok(None)) => {
                tracing::debug!("work listener reconnected; signalling in case of lost wake-ups");
                Ok(())
            }
            Ok(Err(err)) => Err(db_err(err)),
            Err(_closed) => Err(StoreError::Database("the store is closed".into())),
        }
    }
}
