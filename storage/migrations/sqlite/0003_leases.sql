-- Leases: work only one process may do at a time (one Matrix account's sync
-- loop, Telegram getUpdates, a Discord gateway shard). migrations/postgres
-- mirrors it with TIMESTAMPTZ times. Keep the two in step.
--
-- A lease is free when it has no row or its expires_at has passed; taking
-- one is a single upsert (src/sqlite/leases.rs). Times are text that sorts
-- in time order (see 0001).
-- holder:      who holds it, as the caller names itself (process and task).
-- acquired_at: when this holder's unbroken hold began (kept on renewal).
-- renewed_at:  when this holder last took or renewed it.
CREATE TABLE leases (
    name        TEXT NOT NULL PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    renewed_at  TEXT NOT NULL
);
