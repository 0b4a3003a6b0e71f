//! Test support: a fresh PostgreSQL database per test on the server named by
//! `MUSTER_TEST_POSTGRES_URL`, dropped with the value (even when the test
//! fails). Without the variable a test says SKIPPED on stderr and passes,
//! unless `CI` is set: then it fails, as does an unreachable server.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::{AssertSqlSafe, Connection, PgConnection};

pub const URL_VAR: &str = "MUSTER_TEST_POSTGRES_URL";

/// One database of its own on the test server, dropped with the value.
pub struct PgDb {
    /// The server's maintenance database, where this one is created and dropped.
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl PgDb {
    /// A fresh, empty database, or `None` (said loudly) when no server is
    /// configured outside CI.
    pub async fn new() -> Option<PgDb> {
        let admin_url = match std::env::var(URL_VAR) {
            Ok(url) if !url.trim().is_empty() => url,
            _ if std::env::var_os("CI").is_some() => {
                panic!("{URL_VAR} is not set, and CI is: the PostgreSQL tests must run")
            }
            _ => {
                // Straight to stderr: libtest captures `eprintln!` of
                // passing tests, and a skip must not pass unseen.
                let test = std::thread::current().name().unwrap_or("?").to_string();
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED (set {URL_VAR}): PostgreSQL test `{test}` did not run; \
                     e.g. {URL_VAR}=postgres://postgres@127.0.0.1:5432/postgres"
                );
                return None;
            }
        };
        let name = unique_name();
        let mut admin = admin_connection(&admin_url).await;
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        Some(PgDb {
            admin_url,
            name,
            url,
        })
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        // Drop cannot await, and may run inside the test's runtime: a thread
        // of its own with a runtime of its own. FORCE ends the connections
        // the test's pools still hold.
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::raw_sql(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await
                .map_err(|e| e.to_string())?;
                admin.close().await.ok();
                Ok::<_, String>(())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop the test database {}: {e}", self.name),
            Err(_) => eprintln!("dropping the test database {} panicked", self.name),
        }
    }
}

/// Fails the test, whether or not CI is set: the variable names a server,
/// so not reaching it is a failure, not a skip.
async fn admin_connection(admin_url: &str) -> PgConnection {
    PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach the PostgreSQL server of {URL_VAR}: {e}"))
}

/// `muster_t_` and 16 hex digits: lower case, so it needs no quoting.
fn unique_name() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_usize(COUNTER.fetch_add(1, Ordering::Relaxed));
    format!("muster_t_{:016x}", hasher.finish())
}

/// The same server and options, another database: the URL's path replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |i| authority + i);
    match query {
        Some(query) => format!("{}/{name}?{query}", &base[..path]),
        None => format!("{}/{name}", &base[..path]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_replace_the_path() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t"),
            "postgres://postgres@127.0.0.1:5432/t"
        );
        assert_eq!(
            with_database("postgresql://u:p@db?sslmode=disable", "t"),
            "postgresql://u:p@db/t?sslmode=disable"
        );
        assert_ne!(unique_name(), unique_name());
    }
}
