-- Leases, mirroring migrations/sqlite/0003: TEXT times become TIMESTAMPTZ.
-- Keep the two in step.
--
-- Several Muster processes share this database; a lease names work only
-- one of them may do at a time (one Matrix account's sync loop, Telegram
-- getUpdates, a Discord gateway shard). A lease is free when it has no row
-- or its expires_at has passed; taking one is a single INSERT … ON CONFLICT
-- DO UPDATE … WHERE (src/postgres/leases.rs), so concurrent takers queue on
-- the row and exactly one wins.
-- holder:      who holds it, as the caller names itself (process and task).
-- acquired_at: when this holder's unbroken hold began (kept on renewal).
-- renewed_at:  when this holder last took or renewed it.
CREATE TABLE leases (
    name        TEXT        NOT NULL PRIMARY KEY,
    holder      TEXT        NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL,
    renewed_at  TIMESTAMPTZ NOT NULL
);
