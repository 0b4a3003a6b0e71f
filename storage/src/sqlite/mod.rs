//! The SQLite backend: one file in WAL mode, every transaction taking the
//! write lock up front so concurrent commands queue instead of failing.

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

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use muster_core::domain::UnknownValue;
use muster_core::store::{Store, StoreError, StoreResult, Tx, WorkSignals};
use sqlx::pool::PoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqliteSynchronous};
use sqlx::{Sqlite, Transaction};

use crate::StorageError;

/// How long a writer waits for another's transaction before giving up.
/// Commands are short, so hitting this means something is stuck.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct SqliteStore {
    pool: SqlitePool,
    url: String,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at a `sqlite:` URL.
    /// `sqlite:muster.db` and `sqlite://muster.db` are both `./muster.db`;
    /// `sqlite:///var/lib/muster.db` is absolute; `sqlite::memory:` lives as
    /// long as the store.
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        let shown = muster_secret::redact(url);
        let options = connect_options(url).map_err(|e| StorageError::Connect {
            url: shown.clone(),
            reason: e.to_string(),
        })?;
        let pool = if is_memory(url) {
            // Each connection to `:memory:` would be a database of its own
            // (sqlx names it for shared cache, but shared cache locks tables
            // with SQLITE_LOCKED, which busy_timeout does not wait on). One
            // connection, never recycled, is the whole database.
            PoolOptions::<Sqlite>::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options.journal_mode(SqliteJournalMode::Memory))
                .await
        } else {
            PoolOptions::<Sqlite>::new().connect_with(options).await
        }
        .map_err(|e| StorageError::Connect {
            url: shown.clone(),
            reason: e.to_string(),
        })?;
        Ok(SqliteStore { pool, url: shown })
    }

    /// Applies the migrations of `migrations/sqlite` not yet applied.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        sqlx::migrate!("./migrations/sqlite")
            .run(&self.pool)
            .await
            .map_err(|e| StorageError::Migrate {
                url: self.url.clone(),
                reason: e.to_string(),
            })
    }

    /// Waits for open transactions to end, moves the write-ahead log into
    /// the database file, and closes every connection.
    pub async fn close(&self) {
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
        {
            tracing::warn!(error = %e, "cannot checkpoint the SQLite log before closing");
        }
        self.pool.close().await;
    }
}

/// The options every connection is opened with; exposed for tests of URL handling.
pub fn connect_options(url: &str) -> Result<SqliteConnectOptions, sqlx::Error> {
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL makes NORMAL safe against corruption; a power cut may lose
        // the last commits, not the file.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT))
}

pub(crate) fn is_memory(url: &str) -> bool {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, params) = rest.split_once('?').unwrap_or((rest, ""));
    path == ":memory:" || params.split('&').any(|p| p == "mode=memory")
}

#[async_trait]
impl Store for SqliteStore {
    async fn begin(&self) -> StoreResult<Box<dyn Tx>> {
        // IMMEDIATE takes the write lock now, waiting up to busy_timeout for
        // it. A deferred transaction would read, then fail with SQLITE_BUSY
        // when it tried to write after another writer committed.
        let tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db_err)?;
        Ok(Box::new(SqliteTx { tx }))
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    /// None: SQLite serves one process, whose in-process waker already
    /// wakes its scheduler and dispatchers.
    async fn work_signals(&self) -> StoreResult<Option<Box<dyn WorkSignals>>> {
        Ok(None)
    }

    async fn close(&self) {
        SqliteStore::close(self).await;
    }

    /// `VACUUM INTO`: a consistent, compact copy, taken in a read
    /// transaction while commands go on.
    async fn backup(&self, path: &std::path::Path) -> StoreResult<()> {
        if path.exists() {
            return Err(StoreError::Conflict(format!(
                "{} exists already; choose another file",
                path.display()
            )));
        }
        let target = path.to_str().ok_or_else(|| {
            StoreError::Unsupported(format!("{} is not a UTF-8 path", path.display()))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}

/// A write transaction; dropping it without commit rolls back.
pub struct SqliteTx {
    tx: Transaction<'static, Sqlite>,
}

#[async_trait]
impl Tx for SqliteTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.tx.commit().await.map_err(db_err)
    }
}

/// Unique and primary-key violations are the caller's conflict; a value the
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn relative_urls_mean_the_working_directory() {
        for url in ["sqlite:muster.db", "sqlite://muster.db"] {
            assert_eq!(
                connect_options(url).unwrap().get_filename(),
                Path::new("muster.db"),
                "{url}"
            );
        }
        assert_eq!(
            connect_options("sqlite:///var/lib/muster/muster.db")
                .unwrap()
                .get_filename(),
            Path::new("/var/lib/muster/muster.db")
        );
    }

    /// EXPLAIN QUERY PLAN of `sql`, one line per step ("SEARCH … USING …").
    async fn plan(store: &SqliteStore, sql: &str) -> Vec<String> {
        let explain = sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}"));
        let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(explain)
            .fetch_all(&store.pool)
            .await
            .unwrap();
        rows.into_iter().map(|(.., detail)| detail).collect()
    }

    /// The queue's hot paths read their indexes in order: never a scan of
    /// the table, never a sort of everything that is due.
    #[tokio::test]
    async fn hot_queries_use_their_indexes() {
        let store = SqliteStore::connect("sqlite::memory:").await.unwrap();
        store.migrate().await.unwrap();

        let claim = plan(&store, outbox::CLAIM).await;
        println!("claim_deliveries: {claim:#?}");
        assert!(
            claim
                .iter()
                .any(|s| s.contains("USING INTEGER PRIMARY KEY (rowid=?)")),
            "{claim:?}"
        );
        assert!(
            claim.iter().any(|s| s.contains(
                "USING COVERING INDEX deliveries_due (platform=? AND status=? AND next_attempt_at<?)"
            )),
            "{claim:?}"
        );
        for sql in [outbox::NEXT_DUE, outbox::NEXT_DUE_ANY] {
            let steps = plan(&store, sql).await;
            println!("next_delivery_due: {steps:#?}");
            assert!(
                steps
                    .iter()
                    .any(|s| s
                        .contains("USING COVERING INDEX deliveries_due (platform=? AND status=?)")),
                "{steps:?}"
            );
        }

        let due = plan(&store, jobs::DUE_JOBS).await;
        println!("due_jobs: {due:#?}");
        assert_eq!(due, ["SEARCH jobs USING INDEX jobs_due (due_at<?)"]);
        let next = plan(&store, jobs::NEXT_JOB_DUE).await;
        println!("next_job_due: {next:#?}");
        assert_eq!(next, ["SCAN jobs USING COVERING INDEX jobs_due"]);
        let cancel = plan(&store, jobs::CANCEL_JOBS).await;
        println!("cancel_jobs: {cancel:#?}");
        assert_eq!(
            cancel,
            ["SEARCH jobs USING INDEX jobs_subject (subject=? AND state=?)"]
        );
    }

    #[test]
    fn memory_urls() {
        assert!(is_memory("sqlite::memory:"));
        assert!(is_memory("sqlite://:memory:"));
        assert!(is_memory("sqlite://?mode=memory"));
        assert!(!is_memory("sqlite://muster.db"));
        assert!(!is_memory("sqlite:memory.db"));
    }
}
