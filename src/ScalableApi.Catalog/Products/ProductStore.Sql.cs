using System.Text;

namespace ScalableApi.Catalog.Products;

/// <summary>The SQL of <see cref="ProductStore"/>: constants and builders of constant fragments only.</summary>
internal sealed partial class ProductStore
{
    internal const string GetByIdSql = $"SELECT {Columns} FROM products p WHERE p.id = @Id";

    internal const string ExistsSql = "SELECT 1 FROM products WHERE id = @Id";

    internal const string InsertSql = $"""
        INSERT INTO products (name, description, price_cents, stock, version, created_at, updated_at)
        VALUES (@Name, @Description, @PriceCents, @Stock, 1, @Now, @Now)
        {Returning}
        """;

    /// <summary>Unconditional full replacement; the version still moves so every ETag handed out before is stale.</summary>
    internal const string ReplaceSql = $"""
        UPDATE products
        SET name = @Name, description = @Description, price_cents = @PriceCents, stock = @Stock,
            version = version + 1, updated_at = @Now
        WHERE id = @Id
        {Returning}
        """;

    internal const string DeleteSql = "DELETE FROM products WHERE id = @Id";

    /// <summary>Every product in id order, for the streamed export (columns by ordinal, see ProductExportResult).</summary>
    internal const string ExportSql = """
        SELECT id, name, description, price_cents, stock, created_at, updated_at
        FROM products ORDER BY id
        """;

    private const string Columns = """
        p.id AS Id, p.name AS Name, p.description AS Description, p.price_cents AS PriceCents, p.stock AS Stock,
        p.version AS Version, p.created_at AS CreatedAt, p.updated_at AS UpdatedAt
        """;

    private const string Returning = """
        RETURNING id AS Id, name AS Name, description AS Description, price_cents AS PriceCents, stock AS Stock,
        version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>
    /// If-Match replacement: the version check and the write are one statement, so two writers holding the same
    /// ETag cannot both succeed (the second matches zero rows → 412). Dapper hands Npgsql a list as an array
    /// (<c>= ANY</c>) and expands it for SQLite (<c>IN (…)</c>).
    /// </summary>
    internal static string ReplaceIfVersionSql(DatabaseEngine engine) => $"""
        UPDATE products
        SET name = @Name, description = @Description, price_cents = @PriceCents, stock = @Stock,
            version = version + 1, updated_at = @Now
        WHERE id = @Id AND {VersionIn(engine)}
        {Returning}
        """;

    /// <summary>If-Match delete: like <see cref="ReplaceIfVersionSql"/>, the check and the delete are one statement.</summary>
    internal static string DeleteIfVersionSql(DatabaseEngine engine) =>
        "DELETE FROM products WHERE id = @Id AND " + VersionIn(engine);

    /// <summary>
    /// One page, newest first, keyset on id: <c>id &lt; @BeforeId ORDER BY id DESC LIMIT @Take</c> (the look-ahead row
    /// tells whether a next page exists). Search goes through the engine's text index:
    /// PostgreSQL ILIKE on trigram GIN indexes, SQLite a phrase MATCH on the trigram FTS5 table joined by rowid.
    /// </summary>
    internal static string ListSql(DatabaseEngine engine, ProductFilter filter)
    {
        var sql = new StringBuilder();
        var searchOnFts = engine == DatabaseEngine.Sqlite && filter.Search is not null;
        var id = searchOnFts ? "f.rowid" : "p.id";
        sql.Append("SELECT ").Append(Columns);
        // The keyset bound is always there (the first page starts below long.MaxValue): the plan is then a primary
        // key range on both engines, never a bare table scan, and there is one SQL shape per filter combination.
        sql.Append(searchOnFts
            ? " FROM products_fts f JOIN products p ON p.id = f.rowid WHERE products_fts MATCH @Match AND f.rowid < @BeforeId"
            : " FROM products p WHERE p.id < @BeforeId");

        if (filter.Search is not null && engine == DatabaseEngine.Postgres)
        {
            sql.Append(@" AND (p.name ILIKE @Pattern OR p.description ILIKE @Pattern)");
        }

        if (filter.MinCents is not null)
        {
            sql.Append(" AND p.price_cents >= @MinCents");
        }

        if (filter.MaxCents is not null)
        {
            sql.Append(" AND p.price_cents <= @MaxCents");
        }

        sql.Append(" ORDER BY ").Append(id).Append(" DESC LIMIT @Take");
        return sql.ToString();
    }

    /// <summary>The parameters <see cref="ListSql"/> refers to.</summary>
    internal static object ListParameters(ProductFilter filter) => new
    {
        BeforeId = filter.Page.Before,
        filter.MinCents,
        filter.MaxCents,
        filter.Page.Take,
        Pattern = filter.Search is null ? null : "%" + EscapeLike(filter.Search) + "%",
        Match = filter.Search is null ? null : FtsPhrase(filter.Search),
    };

    private static string VersionIn(DatabaseEngine engine) =>
        engine == DatabaseEngine.Postgres ? "version = ANY(@Versions)" : "version IN @Versions";

    /// <summary>ILIKE treats % and _ as wildcards and \ as the escape: a search for "50%" means the text "50%".</summary>
    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);

    /// <summary>
    /// One FTS5 string (a phrase): no operator in the user's text is interpreted. With the trigram tokenizer a
    /// phrase matches as a case-insensitive substring.
    /// </summary>
    private static string FtsPhrase(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
