-- The content schema on PostgreSQL. Times are bigint unix milliseconds (UTC) on both engines.
-- author_id has no foreign key: users live in the users service's database.

CREATE TABLE posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id bigint NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    -- Maintained in the transaction that adds a comment: lists show counts without an aggregate per row.
    comment_count bigint NOT NULL DEFAULT 0,
    created_at bigint NOT NULL
);

-- GET /api/users/{id}/posts: equality on author, keyset on id.
CREATE INDEX ix_posts_author_id_id ON posts (author_id, id);

CREATE TABLE comments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_id bigint NOT NULL,
    body text NOT NULL,
    created_at bigint NOT NULL
);

-- GET /api/posts/{id}/comments, and the cascade when a post is deleted (PostgreSQL does not index FKs itself).
CREATE INDEX ix_comments_post_id_id ON comments (post_id, id);
-- GET /api/users/{id}/comments.
CREATE INDEX ix_comments_author_id_id ON comments (author_id, id);
