//! The holder's side of a lease, on the mock clock: taken when free, kept
//! by renewals for as long as the holder runs, handed to the next process
//! once the holder stops renewing (crash) or at once when it releases
//! (SIGTERM), and a holder that lost it (taken over, or not renewed in
//! time) is told so before anyone else may hold it, or at its next renewal.

use chrono::{TimeZone, Utc};
use muster_core::clock::{Clock, MockClock};
use muster_core::lease::{Lease, LeaseLost};
use muster_core::outbox::Sleep;
use muster_core::store::Store;
use std::sync::Arc;
use std::time::Duration;

const TTL: Duration = Duration::from_secs(15);

struct Fixture {
    store: Arc<dyn Store>,
    clock: MockClock,
    _dir: tempfile::TempDir,
}

impl Fixture {
    async fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("muster.db").display());
        Fixture {
            store: muster_storage::open(&url).await.unwrap(),
            clock: MockClock::new(Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()),
            _dir: dir,
        }
    }

    fn lease(&self, holder: &str) -> Lease {
        Lease::new(
            self.store.clone(),
            Arc::new(self.clock.clone()),
            "matrix:@bot:example.org",
            holder,
            TTL,
        )
    }

    /// A sleep that moves the mock clock, and lets other tasks run.
    fn sleep(&self) -> Sleep {
        let clock = self.clock.clone();
        Arc::new(move |d| {
            let clock = clock.clone();
            Box::pin(async move {
                clock.advance(chrono::Duration::from_std(d).unwrap());
                tokio::time::sleep(Duration::from_millis(1)).await;
            })
        })
    }
}

#[tokio::test]
async fn a_kept_lease_is_never_free_and_a_stopped_one_passes_after_its_ttl() {
    let f = Fixture::new().await;
    let (a, b) = (f.lease("a"), f.lease("b"));
    let until = a
        .try_acquire()
        .await
        .unwrap()
        .expect("a free lease is taken");
    assert_eq!(until, f.clock.now_micros() + chrono::Duration::seconds(15));
    assert_eq!(b.try_acquire().await.unwrap(), None);

    // While a keeps it, the clock runs through many times its ttl and b
    // never gets it.
    let sleep = f.sleep();
    let start = f.clock.now();
    let watcher = async {
        while f.clock.now() - start < chrono::Duration::minutes(5) {
            assert_eq!(
                b.try_acquire().await.unwrap(),
                None,
                "taken from a live holder"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    };
    tokio::select! {
        lost = a.keep(until, &sleep) => panic!("a lost its lease: {lost:?}"),
        () = watcher => {}
    }

    // a stops renewing (a crash): b gets it within a ttl, and not before
    // the last renewal's ttl has run (renewals come every ttl/3).
    let crashed = f.clock.now();
    let b_until = loop {
        if let Some(until) = b.try_acquire().await.unwrap() {
            break until;
        }
        f.clock.advance(chrono::Duration::seconds(1));
    };
    let waited = f.clock.now() - crashed;
    assert!(
        waited > chrono::Duration::seconds(9) && waited <= chrono::Duration::seconds(15),
        "taken {waited} after the holder stopped"
    );

    // a wakes up with its time long up: it stops without renewing.
    assert_eq!(a.keep(until, &sleep).await, LeaseLost::Unconfirmed);
    // b's hold stands.
    assert_eq!(a.try_acquire().await.unwrap(), None);
    assert!(b_until > f.clock.now());
}

#[tokio::test]
async fn a_released_lease_is_taken_at_once() {
    let f = Fixture::new().await;
    let (a, b) = (f.lease("a"), f.lease("b"));
    a.try_acquire().await.unwrap().unwrap();
    // Only the holder's release counts.
    b.release().await.unwrap();
    assert_eq!(b.try_acquire().await.unwrap(), None);
    a.release().await.unwrap();
    assert!(b.try_acquire().await.unwrap().is_some(), "free at once");
}

#[tokio::test]
async fn a_holder_that_cannot_renew_stops_before_its_lease_expires() {
    let f = Fixture::new().await;
    let a = f.lease("a");
    let until = a.try_acquire().await.unwrap().unwrap();
    // Renewals find the lease gone to nobody: a release by an operator
    // cleaning up leaves no row, so a renewal fails and a stops.
    a.release().await.unwrap();
    assert_eq!(a.keep(until, &f.sleep()).await, LeaseLost::TakenOver);

    // A keeper that starts with a stale expiry stops before touching the
    // lease: its time was up before the first renewal.
    let until = a.try_acquire().await.unwrap().unwrap();
    f.clock.advance(chrono::Duration::seconds(14));
    assert_eq!(a.keep(until, &f.sleep()).await, LeaseLost::Unconfirmed);
    assert!(
        f.clock.now() < until,
        "stopped before the expiry, when nobody else may take it yet"
    );
}

#[tokio::test]
async fn a_waiting_process_takes_the_lease_when_the_holder_lets_go() {
    let f = Fixture::new().await;
    let (a, b) = (f.lease("a"), f.lease("b"));
    let until = a.try_acquire().await.unwrap().unwrap();
    let sleep = f.sleep();
    let start = f.clock.now();
    let taken = b.acquire(&sleep).await;
    let waited = f.clock.now() - start;
    assert!(f.clock.now() >= until, "taken while a held it");
    assert!(
        waited <= chrono::Duration::seconds(15 + 5),
        "took {waited} after a stopped renewing"
    );
    assert!(taken > f.clock.now());
}
