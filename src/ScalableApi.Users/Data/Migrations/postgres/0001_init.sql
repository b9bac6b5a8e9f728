-- The users schema on PostgreSQL. Times are bigint unix milliseconds (UTC) on both engines.
-- email holds the normalised address (trimmed, domain lower-cased), so the UNIQUE index is the
-- single arbiter of "email taken", even under concurrent registrations.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    name text NOT NULL,
    age integer NULL,
    role text NOT NULL DEFAULT 'user',
    password_hash text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);
CREATE UNIQUE INDEX ux_users_email ON users (email);

-- Only SHA-256 hashes of refresh tokens are stored: a leaked table cannot be replayed.
CREATE TABLE refresh_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id text NOT NULL,
    token_hash text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    spent_at bigint NULL,
    revoked_at bigint NULL
);
CREATE UNIQUE INDEX ux_refresh_tokens_token_hash ON refresh_tokens (token_hash);
CREATE INDEX ix_refresh_tokens_family_id ON refresh_tokens (family_id);
CREATE INDEX ix_refresh_tokens_user_id ON refresh_tokens (user_id);
