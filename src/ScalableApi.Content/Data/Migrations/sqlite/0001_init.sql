-- The content schema on SQLite. Times are INTEGER unix milliseconds (UTC) on both engines.
-- STRICT: a value of the wrong type is an error, not silently stored as text.
-- AUTOINCREMENT: ids are never reused after a delete, so a deleted post's URL (and any cached copy of it)
-- can never start pointing at someone else's post, and "newest first by id" stays true.

CREATE TABLE posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- Maintained in the transaction that adds a comment: lists show counts without an aggregate per row.
    comment_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
) STRICT;

-- GET /api/users/{id}/posts: equality on author, keyset on id.
CREATE INDEX ix_posts_author_id_id ON posts (author_id, id);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- GET /api/posts/{id}/comments, and the cascade when a post is deleted.
CREATE INDEX ix_comments_post_id_id ON comments (post_id, id);
-- GET /api/users/{id}/comments.
CREATE INDEX ix_comments_author_id_id ON comments (author_id, id);
