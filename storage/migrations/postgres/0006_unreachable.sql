-- An identity the platform will not let the bot write to (the member blocked
-- the bot, never started it, or refuses direct messages): direct messages to
-- it are not tried until the member speaks to the bot again. Part of the
-- identity, so `forgetme` erases it and a merge carries it.
-- Mirrors migrations/sqlite/0006 with a TIMESTAMPTZ. Keep the two in step.
ALTER TABLE identities ADD COLUMN unreachable_since TIMESTAMPTZ;
