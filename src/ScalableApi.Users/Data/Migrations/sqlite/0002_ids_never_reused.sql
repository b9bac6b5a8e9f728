-- Without AUTOINCREMENT SQLite hands the id of a deleted last row to the next insert. A user id must never come
-- back: tokens (sub), revocation markers (revoked:user:{id}), and the content a UserDeleted event removes all name
-- users by id, so a new user with a reused id would inherit the old one's still-valid tokens, or have their fresh
-- posts removed by the old one's late event. PostgreSQL's identity never reuses. SQLite cannot add AUTOINCREMENT to
-- a table, so both tables are rebuilt (refresh_tokens first: dropping users would cascade into it).
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    age INTEGER NULL,
    role TEXT NOT NULL DEFAULT 'user',
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO users_new (id, email, name, age, role, password_hash, created_at, updated_at)
SELECT id, email, name, age, role, password_hash, created_at, updated_at FROM users;

CREATE TABLE refresh_tokens_new (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users_new (id) ON DELETE CASCADE,
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    spent_at INTEGER NULL,
    revoked_at INTEGER NULL
);
INSERT INTO refresh_tokens_new (id, user_id, family_id, token_hash, created_at, expires_at, spent_at, revoked_at)
SELECT id, user_id, family_id, token_hash, created_at, expires_at, spent_at, revoked_at FROM refresh_tokens;

DROP TABLE refresh_tokens;
DROP TABLE users;
-- Renaming rewrites refresh_tokens_new's reference to users_new as well (SQLite 3.26+).
ALTER TABLE users_new RENAME TO users;
ALTER TABLE refresh_tokens_new RENAME TO refresh_tokens;

CREATE UNIQUE INDEX ux_users_email ON users (email);
CREATE UNIQUE INDEX ux_refresh_tokens_token_hash ON refresh_tokens (token_hash);
CREATE INDEX ix_refresh_tokens_family_id ON refresh_tokens (family_id);
CREATE INDEX ix_refresh_tokens_user_id ON refresh_tokens (user_id);
