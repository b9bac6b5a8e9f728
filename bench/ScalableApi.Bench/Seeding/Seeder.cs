using System.Diagnostics;
using Npgsql;
using ScalableApi.Users.Auth;

namespace ScalableApi.Bench.Seeding;

/// <summary>
/// Fills the services' PostgreSQL databases with ids 1..N in a few set-based statements (seconds, where going
/// through the API would take minutes: registration alone hashes a password per user). The schema is the
/// services' own, created by their migrations at start-up; rows look like what the API writes. Every user gets
/// the same password hash, computed once by the users service's <see cref="PasswordService"/>: logins verify
/// exactly as in production (a fresh salt per user would change nothing about the cost of a login).
/// </summary>
internal static class Seeder
{
    public static async Task RunAsync(SeedOptions options)
    {
        var clock = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var hash = new PasswordService().Hash(options.Password);

        await ExecuteAsync(options.UsersDatabase, """
            INSERT INTO users (id, email, name, age, role, password_hash, created_at, updated_at) OVERRIDING SYSTEM VALUE
            SELECT i, 'user' || i || '@bench.test', 'Bench User ' || i, 18 + i % 60, 'user', @hash, @now - i * 1000, @now - i * 1000
            FROM generate_series(1, @users) AS i;
            SELECT setval(pg_get_serial_sequence('users', 'id'), @users);
            ANALYZE users;
            """, ("hash", hash), ("now", now), ("users", options.Users));

        await ExecuteAsync(options.CatalogDatabase, """
            INSERT INTO products (id, name, description, price_cents, stock, version, created_at, updated_at) OVERRIDING SYSTEM VALUE
            SELECT i, 'Product ' || i, 'Benchmark product number ' || i || ': sturdy, useful and in stock.',
                   100 + (i * 7919) % 100000, 10 + i % 500, 1, @now - i * 1000, @now - i * 1000
            FROM generate_series(1, @products) AS i;
            SELECT setval(pg_get_serial_sequence('products', 'id'), @products);
            ANALYZE products;
            """, ("now", now), ("products", options.Products));

        // Posts go round-robin over the users (5 each for 50,000 over 10,000); comments over the posts, by
        // authors spread differently, so overviews and post pages have content.
        await ExecuteAsync(options.ContentDatabase, """
            INSERT INTO posts (id, author_id, title, body, comment_count, created_at) OVERRIDING SYSTEM VALUE
            SELECT i, 1 + (i - 1) % @users, 'Post ' || i, 'Benchmark post ' || i || '. ' || repeat('Lorem ipsum dolor sit amet. ', 8), 0, @now - (@posts - i) * 1000
            FROM generate_series(1, @posts) AS i;
            SELECT setval(pg_get_serial_sequence('posts', 'id'), @posts);
            INSERT INTO comments (id, post_id, author_id, body, created_at) OVERRIDING SYSTEM VALUE
            SELECT i, 1 + (i - 1) % @posts, 1 + (i * 31) % @users, 'Benchmark comment ' || i || '.', @now - (@comments - i) * 100
            FROM generate_series(1, @comments) AS i;
            SELECT setval(pg_get_serial_sequence('comments', 'id'), @comments);
            UPDATE posts SET comment_count = c.n FROM (SELECT post_id, count(*) AS n FROM comments GROUP BY post_id) AS c WHERE posts.id = c.post_id;
            ANALYZE posts;
            ANALYZE comments;
            """, ("now", now), ("users", options.Users), ("posts", options.Posts), ("comments", options.Comments));

        Console.WriteLine($"seeded {options.Users} users, {options.Products} products, {options.Posts} posts, {options.Comments} comments in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var command = new NpgsqlBatchCommand(statement);
            foreach (var (name, value) in parameters)
            {
                if (statement.Contains('@' + name, StringComparison.Ordinal))
                {
                    command.Parameters.AddWithValue(name, value);
                }
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
}
