-- The catalog schema on PostgreSQL. Times are bigint unix milliseconds (UTC) on both engines; money is integer cents.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it without superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    description text NOT NULL,
    price_cents bigint NOT NULL CHECK (price_cents >= 0),
    stock integer NOT NULL CHECK (stock >= 0),
    version bigint NOT NULL DEFAULT 1,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);

-- Price range filter; id second so a range scan can also honour the keyset bound.
CREATE INDEX ix_products_price ON products (price_cents, id);

-- `q` search is a case-insensitive substring match (ILIKE '%q%'); trigram GIN indexes serve it on both columns
-- (the planner combines them with a BitmapOr).
CREATE INDEX ix_products_name_trgm ON products USING gin (name gin_trgm_ops);
CREATE INDEX ix_products_description_trgm ON products USING gin (description gin_trgm_ops);
