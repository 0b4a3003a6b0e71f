-- What a platform bot has already taken in, so a process that takes over a
-- bot (or the same one after a crash) answers each message exactly once.
-- migrations/postgres mirrors it with TIMESTAMPTZ times. Keep the two in step.
--
-- handled_messages: a platform message the engine has handled, with the
-- replies it gave (JSON), written in the same transaction as the command's
-- changes. The same message handled again returns the stored replies, which
-- the adapter sends again under the same idempotency keys.
-- cursors: where a bot's stream of updates stands (a Matrix sync token, a
-- Telegram update offset), moved only past messages already handled.
CREATE TABLE handled_messages (
    platform   TEXT NOT NULL,
    message_id TEXT NOT NULL,
    replies    TEXT NOT NULL,
    handled_at TEXT NOT NULL,
    PRIMARY KEY (platform, message_id)
);
CREATE INDEX handled_messages_by_time ON handled_messages (handled_at);

CREATE TABLE cursors (
    name       TEXT NOT NULL PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
