//! Muster's storage: the repository traits of [`muster_core::store`]
//! implemented over sqlx. SQLite is the embedded default (one file, WAL,
//! writers serialised by `BEGIN IMMEDIATE`); PostgreSQL lets several Muster
//! processes share one database (row locks, `SKIP LOCKED` queues). Each has
//! its own migrations and queries, because sqlx's `Any` driver cannot carry
//! chrono times. [`open`] picks the backend from the URL and migrates.

pub mod postgres;
pub mod sqlite;
#[doc(hidden)]
pub mod testing;

use std::sync::Arc;

use muster_core::store::Store;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// Failures of opening or migrating a database. URLs in messages have their
/// password replaced, so these can be logged and shown.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("cannot open the database at {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("cannot migrate the database at {url}: {reason}")]
    Migrate { url: String, reason: String },
    #[error("unsupported database URL {url}: {reason}")]
    UnsupportedUrl { url: String, reason: String },
    #[error("there is no database at {url} (no file {file}); check the path")]
    Missing { url: String, file: String },
}

enum Backend {
    Sqlite,
    Postgres,
}

fn backend(url: &str) -> Result<Backend, StorageError> {
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("sqlite") => Ok(Backend::Sqlite),
        Some("postgres" | "postgresql") => Ok(Backend::Postgres),
        _ => Err(StorageError::UnsupportedUrl {
            url: muster_secret::redact(url),
            reason: "expected sqlite:PATH, sqlite://PATH, sqlite::memory: \
                     or postgres://USER:PASSWORD@HOST/DB"
                .into(),
        }),
    }
}

/// Opens the database at `url` and brings its schema up to date.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StorageError> {
    match backend(url)? {
        Backend::Sqlite => {
            let store = SqliteStore::connect(url).await?;
            store.migrate().await?;
            Ok(Arc::new(store))
        }
        Backend::Postgres => {
            let store = PgStore::connect(url).await?;
            store.migrate().await?;
            Ok(Arc::new(store))
        }
    }
}

/// Opens the database at `url` only if it exists: commands that read an
/// organisation (`export`, `backup`) must not create an empty one from a
/// mistyped path and report success.
pub async fn open_existing(url: &str) -> Result<Arc<dyn Store>, StorageError> {
    if let Backend::Sqlite = backend(url)?
        && !sqlite::is_memory(url)
    {
        let options = sqlite::connect_options(url).map_err(|e| StorageError::Connect {
            url: muster_secret::redact(url),
            reason: e.to_string(),
        })?;
        let file = options.get_filename();
        if !file.exists() {
            return Err(StorageError::Missing {
                url: muster_secret::redact(url),
                file: file.display().to_string(),
            });
        }
    }
    open(url).await
}

/// Brings the schema of the database at `url` up to date, creating it if needed.
pub async fn migrate(url: &str) -> Result<(), StorageError> {
    match backend(url)? {
        Backend::Sqlite => {
            let store = SqliteStore::connect(url).await?;
            store.migrate().await?;
            store.close().await;
            Ok(())
        }
        Backend::Postgres => {
            let store = PgStore::connect(url).await?;
            store.migrate().await?;
            store.close().await;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn postgres_errors_hide_the_password() {
        // Nothing listens on port 1: the connection is refused at once.
        for (url, shown) in [
            (
                "postgres://bot:hunter2@127.0.0.1:1/muster",
                "postgres://bot:***@127.0.0.1:1/muster",
            ),
            (
                "postgresql://bot:hunter2@127.0.0.1:1/muster",
                "postgresql://bot:***@127.0.0.1:1/muster",
            ),
            (
                "postgres://127.0.0.1:1/muster?user=bot&password=hunter2",
                "postgres://127.0.0.1:1/muster?user=bot&password=***",
            ),
        ] {
            let Err(err) = open(url).await else {
                panic!("{url} opened");
            };
            let text = err.to_string();
            assert!(matches!(err, StorageError::Connect { .. }), "{text}");
            assert!(text.contains(shown), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
    }

    #[tokio::test]
    async fn unknown_schemes_are_refused() {
        for url in ["mysql://localhost/muster", "muster.db", ""] {
            let Err(err) = open(url).await else {
                panic!("{url} opened")
            };
            assert!(
                matches!(err, StorageError::UnsupportedUrl { .. }),
                "{url}: {err}"
            );
        }
    }
}
