CREATE INDEX ix_notes_text ON notes (text);
