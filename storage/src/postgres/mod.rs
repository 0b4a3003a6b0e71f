//! The PostgreSQL backend, for several Muster processes sharing one
//! database. Transactions run at READ COMMITTED and lock the rows that
//! decide: the event an RSVP counts against (`lock_event`, `FOR UPDATE`),
//! and the deliveries and jobs a process takes (`FOR UPDATE SKIP LOCKED`, so
//! two processes never take the same row and neither waits for the other).
//!
//! PostgreSQL aborts a transaction at its first error. Statements the engine
//! expects to fail now and then (a taken slug or identity, a link code drawn
//! twice) run in a savepoint, so the transaction stays usable after the
//! `Conflict`.
//!
//! Processes wake each other with `LISTEN`/`NOTIFY` (`signals.rs`: writes
//! of new work notify on commit, [`Store::work_signals`] listens), and share
//! out work only one may do with leases (`leases.rs`).

mod announcements;
mod audit;
mod events;
mod inbox;
mod initiatives;
mod jobs;
mod leases;
mod members;
mod outbox;
mod sections;
mod signals;

use std::str::FromStr;

use async_trait::async_trait;
use muster_core::domain::UnknownValue;
use muster_core::store::{Store, StoreError, StoreResult, Tx, WorkSignals};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{Connection, Postgres, Transaction};

use crate::StorageError;

/// Connections per process. Commands are short transactions; a dispatcher
/// or scheduler holds one while it claims.
const MAX_CONNECTIONS: u32 = 10;

pub struct PgStore {
    pool: PgPool,
    /// For connections outside the pool: work listeners.
    options: PgConnectOptions,
    url: String,
}

impl PgStore {
    /// Connects to the database at a `postgres://` or `postgresql://` URL,
    /// which must exist (`CREATE DATABASE` is the operator's).
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        let shown = muster_secret::redact(url);
        let failed = |e: sqlx::Error| StorageError::Connect {
            url: shown.clone(),
            reason: {
                // The driver's messages do not quote the URL, but a password
                // must not reach a log even if one ever did.
                muster_secret::register_url(url);
                muster_secret::redact(&e.to_string())
            },
        };
        let options = PgConnectOptions::from_str(url).map_err(failed)?;
        // One connection first, so a server that is down or refuses us is
        // reported at once: the pool would retry a refused connection for
        // its whole acquire timeout.
        PgConnection::connect_with(&options)
            .await
            .map_err(failed)?
            .close()
            .await
            .map_err(failed)?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_lazy_with(options.clone());
        Ok(PgStore {
            pool,
            options,
            url: shown,
        })
    }

    /// Applies the migrations of `migrations/postgres` not yet applied. sqlx
    /// holds an advisory lock meanwhile, so processes starting together
    /// migrate one after the other.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        sqlx::migrate!("./migrations/postgres")
            .run(&self.pool)
            .await
            .map_err(|e| StorageError::Migrate {
                url: self.url.clone(),
                reason: e.to_string(),
            })
    }

    /// Waits for open transactions to end and closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait]
impl Store for PgStore {
    async fn begin(&self) -> StoreResult<Box<dyn Tx>> {
        let tx = self.pool.begin().await.map_err(db_err)?;
        Ok(Box::new(PgTx {
            tx,
            notified: false,
        }))
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn work_signals(&self) -> StoreResult<Option<Box<dyn WorkSignals>>> {
        let signals =
            signals::PgWorkSignals::listen(&self.options, self.pool.close_event()).await?;
        Ok(Some(Box::new(signals)))
    }

    async fn close(&self) {
        PgStore::close(self).await;
    }

    async fn backup(&self, _path: &std::path::Path) -> StoreResult<()> {
        Err(StoreError::Unsupported(
            "PostgreSQL databases are backed up with pg_dump, which takes a consistent copy while Muster runs: pg_dump --format=custom --file=muster.dump <database URL> (restore with pg_restore)".into(),
        ))
    }
}

/// A transaction at READ COMMITTED; dropping it without commit rolls back.
pub struct PgTx {
    tx: Transaction<'static, Postgres>,
    /// Whether this transaction already notified [`signals::CHANNEL`].
    notified: bool,
}

#[async_trait]
impl Tx for PgTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.tx.commit().await.map_err(db_err)
    }
}

impl PgTx {
    /// A savepoint for statements that may fail without spoiling the
    /// transaction; end it with [`settle`].
    async fn savepoint(&mut self) -> StoreResult<Transaction<'_, Postgres>> {
        Connection::begin(&mut *self.tx).await.map_err(db_err)
    }
}

/// Releases the savepoint if the statements in it succeeded, rolls back to
/// it if not, so the transaction goes on as if they had never run.
async fn settle<T>(
    savepoint: Transaction<'_, Postgres>,
    result: Result<T, sqlx::Error>,
) -> StoreResult<T> {
    match result {
        Ok(value) => {
            savepoint.commit().await.map_err(db_err)?;
            Ok(value)
        }
        Err(err) => {
            // If even the rollback fails the connection is gone, and the
            // next statement says so; the caller wants the first error.
            if let Err(rollback) = savepoint.rollback().await {
                tracing::warn!(error = %rollback, "rolling back to a savepoint failed");
            }
            Err(db_err(err))
        }
    }
}

/// The statement that moves `$table`'s identity sequence past the ids an
/// import wrote, so later creations never collide with them. It only ever
/// moves the sequence forward: ids handed out and then deleted (a merged
/// member) are not handed out again. `setval` is not transactional, so an
/// import that rolls back leaves a gap in the ids, nothing worse.
macro_rules! sync_sequence {
    ($table:literal) => {
        concat!(
            "SELECT setval(pg_get_serial_sequence('",
            $table,
            "', 'id'), top) FROM (SELECT max(id) AS top FROM ",
            $table,
            ") AS imported WHERE top > COALESCE(pg_sequence_last_value(pg_get_serial_sequence('",
            $table,
            "', 'id')::regclass), 0)"
        )
    };
}
pub(crate) use sync_sequence;

/// Runs a [`sync_sequence!`] statement; every `insert_*` of an aggregate
/// with an identity ends with one.
async fn move_sequence(conn: &mut PgConnection, sql: &'static str) -> StoreResult<()> {
    sqlx::query(sql).execute(conn).await.map_err(db_err)?;
    Ok(())
}

/// Unique violations (SQLSTATE 23505) are the caller's conflict; a value the
/// domain cannot hold is an inconsistency; the rest is the driver's failure.
pub(crate) fn db_err(err: sqlx::Error) -> StoreError {
    if let Some(db) = err.as_database_error()
        && db.is_unique_violation()
    {
        return StoreError::Conflict(db.message().to_string());
    }
    match err {
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
            StoreError::Inconsistent(err.to_string())
        }
        _ => StoreError::Database(err.to_string()),
    }
}

/// Reads an enumeration stored as its `as_str` text.
pub(crate) fn parse<T: FromStr<Err = UnknownValue>>(text: &str) -> StoreResult<T> {
    text.parse()
        .map_err(|e: UnknownValue| StoreError::Inconsistent(e.to_string()))
}

pub(crate) fn to_u32(value: i64, what: &str) -> StoreResult<u32> {
    u32::try_from(value)
        .map_err(|_| StoreError::Inconsistent(format!("{what} out of range: {value}")))
}

/// An update or delete-by-id that touched no row: the engine asked to change
/// something that does not exist, which is a bug upstream, not a conflict.
pub(crate) fn expect_one(rows: u64, what: &str) -> StoreResult<()> {
    match rows {
        1 => Ok(()),
        0 => Err(StoreError::Inconsistent(format!("{what} does not exist"))),
        n => Err(StoreError::Inconsistent(format!("{what} matched {n} rows"))),
    }
}
