using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ScalableApi.Bench.Jobs;

/// <summary>
/// bench/jobs' measurements against a running topology: (1) an N-line NDJSON import through the gateway, rows/s from
/// the POST to <c>completed</c>, with the catalog replicas' peak RSS sampled meanwhile; (2) beside it, the same rows
/// inserted into a copy of the catalog's schema in batches of the same size, one prepared statement per row, no HTTP,
/// parsing, validation or checkpoints: the floor; (3) the deletion cascade's delay, 204 of the DELETE to the user's
/// posts page showing none, over M deletions.
/// </summary>
internal static class JobsBenchmark
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(Options options)
    {
        var gateway = new Uri(options.Required("url"));
        var catalogDb = options.Required("catalog-db");
        var output = options.Required("out");
        var lines = options.Number("lines", 100_000);
        var deletions = options.Number("deletions", 100);
        var batch = options.Number("batch", 500);
        var pids = options.Text("catalog-pids", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        Directory.CreateDirectory(output);
        using var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(10) };
        var admin = await LoginAsync(client, options.Required("admin-email"), options.Required("admin-password"));

        var file = Path.Combine(output, "import.ndjson");
        await WriteNdjsonAsync(file, lines);
        var bytes = new FileInfo(file).Length;
        var import = await ImportAsync(client, admin, file, pids);
        File.Delete(file);
        var baseline = await BaselineAsync(catalogDb, lines, batch);
        using var users = new HttpClient { BaseAddress = new Uri(options.Required("users-url")), Timeout = TimeSpan.FromSeconds(30) };
        var cascade = await CascadeAsync(client, users, deletions);

        var p50 = Percentile(cascade, 0.50);
        var p99 = Percentile(cascade, 0.99);
        var result = new
        {
            lines,
            bytes,
            import = new { uploadSeconds = import.Upload, totalSeconds = import.Total, rowsPerSecond = lines / import.Total, import.PeakRssMiB, import.StartRssMiB },
            baseline = new { seconds = baseline, rowsPerSecond = lines / baseline, batch },
            cascade = new { deletions, p50Ms = p50, p99Ms = p99, maxMs = cascade.Max() },
        };
        await File.WriteAllTextAsync(Path.Combine(output, "results.json"), JsonSerializer.Serialize(result, Indented));
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Jobs and events ({DateTime.UtcNow:yyyy-MM-dd})");
        md.AppendLine();
        md.AppendLine("| measurement | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| import of {lines:N0} NDJSON lines ({bytes / 1048576.0:0.0} MiB) through the gateway, POST → completed | {import.Total:0.00} s = **{lines / import.Total:N0} rows/s** (upload until 202: {import.Upload:0.00} s) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| baseline: the same rows, batched insert ({batch}/transaction) into a copy of the catalog schema, same engine | {baseline:0.00} s = **{lines / baseline:N0} rows/s** |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| catalog replicas' RSS during the import (peak, of all replicas; at start) | {import.PeakRssMiB:0} MiB; {import.StartRssMiB:0} MiB |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| deletion cascade, DELETE 204 → posts page empty, over {deletions} deletions | p50 **{p50:0} ms**, p99 **{p99:0} ms**, max {cascade.Max():0} ms |");
        await File.WriteAllTextAsync(Path.Combine(output, "results.md"), md.ToString());
        Console.Write(md);
        return 0;
    }

    private static async Task<string> LoginAsync(HttpClient client, string email, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }

    private static async Task WriteNdjsonAsync(string file, int lines)
    {
        await using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16);
        for (var i = 1; i <= lines; i++)
        {
            await writer.WriteAsync(string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"name":"bench import {{i}}","description":"a product imported by bench/jobs, line {{i}}","price":{{i % 1000}}.99,"stock":{{i % 100}}}{{"\n"}}"""));
        }
    }

    private static async Task<(double Upload, double Total, double PeakRssMiB, double StartRssMiB)> ImportAsync(HttpClient client, string token, string file, int[] pids)
    {
        var startRss = pids.Sum(Rss);
        double peak = startRss;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, pids.Sum(Rss));
                await Task.Delay(100);
            }
        });
        var started = Stopwatch.StartNew();
        await using var body = File.OpenRead(file);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/products/import") { Content = new StreamContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var accepted = await client.SendAsync(request);
        var upload = started.Elapsed.TotalSeconds;
        var text = await accepted.Content.ReadAsStringAsync();
        if (!accepted.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"import answered {(int)accepted.StatusCode}: {text}");
        }

        var location = accepted.Headers.Location!;
        while (true)
        {
            using var poll = new HttpRequestMessage(HttpMethod.Get, location);
            poll.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(poll);
            using var job = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var status = job.RootElement.GetProperty("status").GetString();
            if (status is "completed" or "failed")
            {
                var total = started.Elapsed.TotalSeconds;
                await sampling.CancelAsync();
                await sampler;
                return status == "completed" && job.RootElement.GetProperty("failed").GetInt64() == 0
                    ? (upload, total, peak, startRss)
                    : throw new InvalidOperationException($"import ended {job.RootElement}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Resident set of a process in MiB (0 once it is gone).</summary>
    private static double Rss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<double> BaselineAsync(string catalogDb, int lines, int batch)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"bench-baseline-{Guid.NewGuid():N}.db");
        try
        {
            List<string> schema;
            await using (var source = new SqliteConnection($"Data Source={catalogDb};Mode=ReadOnly"))
            {
                await source.OpenAsync();
                await using var read = source.CreateCommand();
                // products, its FTS table and triggers: what every imported row costs in the catalog.
                read.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name LIKE 'products%' AND sql IS NOT NULL AND name NOT LIKE 'products_fts_%' ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END";
                schema = [];
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    schema.Add(reader.GetString(0));
                }
            }

            await using var connection = new SqliteConnection($"Data Source={copy}");
            await connection.OpenAsync();
            await using (var setup = connection.CreateCommand())
            {
                setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; " + string.Join(";\n", schema) + ";";
                await setup.ExecuteNonQueryAsync();
            }

            var started = Stopwatch.StartNew();
            for (var first = 1; first <= lines; first += batch)
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO products (name, description, price_cents, stock, version, created_at, updated_at) VALUES ($n, $d, $p, $s, 1, $t, $t)";
                var (n, d, p, s) = (insert.Parameters.Add("$n", SqliteType.Text), insert.Parameters.Add("$d", SqliteType.Text), insert.Parameters.Add("$p", SqliteType.Integer), insert.Parameters.Add("$s", SqliteType.Integer));
                insert.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await insert.PrepareAsync();
                for (var i = first; i < first + batch && i <= lines; i++)
                {
                    n.Value = string.Create(CultureInfo.InvariantCulture, $"bench import {i}");
                    d.Value = string.Create(CultureInfo.InvariantCulture, $"a product imported by bench/jobs, line {i}");
                    p.Value = (i % 1000 * 100) + 99;
                    s.Value = i % 100;
                    await insert.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
            }

            return started.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { copy, copy + "-wal", copy + "-shm" })
            {
                File.Delete(f);
            }
        }
    }

    /// <param name="users">A users replica: registrations go there (the gateway limits them per IP); everything else through the gateway.</param>
    private static async Task<List<double>> CascadeAsync(HttpClient client, HttpClient users, int deletions)
    {
        var delays = new List<double>(deletions);
        for (var i = 0; i < deletions; i++)
        {
            var email = $"cascade-{Guid.NewGuid():N}@bench.test";
            (await users.PostAsJsonAsync("/api/auth/register", new { email, name = "Cascade", password = "bench-password-1" })).EnsureSuccessStatusCode();
            var token = await LoginAsync(client, email, "bench-password-1");
            using var profileRequest = new HttpRequestMessage(HttpMethod.Get, "/api/profile");
            profileRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var profile = await client.SendAsync(profileRequest);
            using var me = JsonDocument.Parse(await profile.Content.ReadAsStringAsync());
            var id = me.RootElement.GetProperty("id").GetInt64();
            using var post = new HttpRequestMessage(HttpMethod.Post, "/api/posts") { Content = JsonContent.Create(new { title = "cascade", body = "b" }) };
            post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.SendAsync(post)).EnsureSuccessStatusCode();
            var postsPath = string.Create(CultureInfo.InvariantCulture, $"/api/users/{id}/posts");
            // The anonymous page is cached: it is what readers see, and it must change.
            (await client.GetAsync(new Uri(postsPath, UriKind.Relative))).EnsureSuccessStatusCode();

            using var delete = new HttpRequestMessage(HttpMethod.Delete, string.Create(CultureInfo.InvariantCulture, $"/api/users/{id}"));
            delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var deleted = await client.SendAsync(delete);
            deleted.EnsureSuccessStatusCode();
            var clock = Stopwatch.StartNew();
            while (true)
            {
                using var page = await client.GetAsync(new Uri(postsPath, UriKind.Relative));
                using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
                if (json.RootElement.GetProperty("items").GetArrayLength() == 0)
                {
                    break;
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException($"user {id}'s posts still show 60 s after the delete");
                }

                await Task.Delay(5);
            }

            delays.Add(clock.Elapsed.TotalMilliseconds);
        }

        return delays;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
