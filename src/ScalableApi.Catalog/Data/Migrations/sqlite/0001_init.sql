-- The catalog schema on SQLite. Times are INTEGER unix milliseconds (UTC) on both engines; money is integer cents.
-- AUTOINCREMENT: without it SQLite reuses the id of a deleted last row, and a reused id would make an old
-- ETag ("id-version") or a cached Location match a different product.
CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    stock INTEGER NOT NULL CHECK (stock >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Price range filter (a secondary index carries the rowid, so this is (price_cents, id)).
CREATE INDEX ix_products_price ON products (price_cents);

-- `q` search: an external-content FTS5 table (no second copy of the text) with the trigram tokenizer, so a
-- search is a case-insensitive substring match like the pg_trgm/ILIKE search on PostgreSQL.
CREATE VIRTUAL TABLE products_fts USING fts5(
    name, description,
    content = 'products', content_rowid = 'id',
    tokenize = 'trigram'
);

-- The triggers keep the FTS index in step with every write, inside the writer's transaction.
CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, name, description) VALUES (new.id, new.name, new.description);
END;

CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
END;

CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
    INSERT INTO products_fts (rowid, name, description) VALUES (new.id, new.name, new.description);
END;
