-- Members may ask for event reminders privately too (`reminders on`).
ALTER TABLE members ADD COLUMN direct_reminders BOOLEAN NOT NULL DEFAULT FALSE;
