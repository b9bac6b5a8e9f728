using ScalableApi.Platform.Jobs;

namespace ScalableApi.Catalog.Tests.Imports;

/// <summary>POST /api/products/import end to end: accepted, run by the job queue, bad lines reported alone.</summary>
public abstract class ImportTests(ImportFixture factory)
{
    [SkippableFact]
    public async Task An_import_answers_202_with_the_job_and_imports_every_good_line_reporting_the_bad_ones()
    {
        var marker = CatalogClient.UniqueMarker();
        var body = string.Join("\n",
            ImportClient.Line($"{marker} one"),
            ImportClient.Line($"{marker} two", price: 2m),
            """{"name":"bad price","price":-1,"stock":1}""",
            "",
            """{"name":"wrong type","price":"cheap","stock":1}""",
            ImportClient.Line($"{marker} three", stock: 0)) + "\n";
        using var admin = factory.CreateClient(factory.Tokens.Admin());

        using var response = await admin.ImportAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<Job>())!;
        Assert.Equal($"/api/jobs/{accepted.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(ProductImportType, accepted.Type);
        Assert.Contains(accepted.Status, new[] { JobStatus.Queued, JobStatus.Running, JobStatus.Completed });
        Assert.Equal(5, accepted.Total);

        var done = await admin.UntilAsync(accepted.Id, JobStatus.Completed);
        Assert.Equal(5, done.Processed);
        Assert.Equal(2, done.Failed);
        Assert.Equal([3L, 5L], done.Errors.Select(e => e.Line));
        Assert.Contains("price", done.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("price", done.Errors[1].Message, StringComparison.Ordinal);
        Assert.True(done.Attempts >= 1);
        Assert.True(done.UpdatedAt >= done.CreatedAt);
        var json = await admin.GetStringAsync(new Uri($"/api/jobs/{accepted.Id}", UriKind.Relative));
        foreach (var field in new[] { "id", "type", "status", "total", "processed", "failed", "attempts", "errors", "createdAt", "updatedAt" })
        {
            Assert.Contains($"\"{field}\":", json, StringComparison.Ordinal);
        }

        var imported = await admin.WalkAsync("q=" + marker + "&limit=100");
        Assert.Equal(3, imported.Count);
        Assert.Contains(imported, p => p.Name == $"{marker} two" && p.Price == 2m);
    }

    [SkippableTheory]
    [InlineData("array", "[{\"name\":\"a\",\"price\":1,\"stock\":1}]\n")]
    [InlineData("not json", "{\"name\":\"a\",\"price\":1,\"stock\":1}\nthis is not json\n")]
    [InlineData("empty", "")]
    [InlineData("blank lines only", "\n  \n\t\n")]
    [InlineData("two values on a line", "{\"name\":\"a\",\"price\":1,\"stock\":1} {\"name\":\"b\"}\n")]
    public async Task A_body_that_is_not_usable_ndjson_is_400_and_queues_nothing(string what, string body)
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        var jobsBefore = await factory.ScalarAsync("SELECT COUNT(*) FROM jobs");

        using var response = await admin.ImportAsync(body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("body", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(jobsBefore == await factory.ScalarAsync("SELECT COUNT(*) FROM jobs"), what);
        Assert.Equal(0, await factory.ScalarAsync("SELECT COUNT(*) FROM job_chunks WHERE job_id NOT IN (SELECT id FROM jobs)"));
    }

    [SkippableFact]
    public async Task A_line_longer_than_the_limit_is_400_naming_it_and_leaves_no_draft()
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        var body = ImportClient.Line("ok") + "\n" + ImportClient.Line(new string('x', 70 * 1024)) + "\n";

        using var response = await admin.ImportAsync(body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("line 2 is longer than", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await factory.ScalarAsync("SELECT COUNT(*) FROM jobs WHERE status = 'draft'"));
    }

    [SkippableFact]
    public async Task The_route_has_its_own_body_limit_above_the_platforms_one_megabyte()
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        var marker = CatalogClient.UniqueMarker();
        var line = ImportClient.Line($"{marker} {new string('d', 150)}");
        var lines = (int)(1.5 * 1024 * 1024 / (line.Length + 1));
        var large = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            large.Append(line).Append('\n');
        }

        using var accepted = await admin.ImportAsync(large.ToString());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await admin.UntilAsync((await accepted.Content.ReadFromJsonAsync<Job>())!.Id, JobStatus.Completed);
        Assert.Equal(lines, job.Processed);
        Assert.Equal(0, job.Failed);

        while (large.Length <= ImportFixture.MaxBodyBytes)
        {
            large.Append(line).Append('\n');
        }

        var jobsBefore = await factory.ScalarAsync("SELECT COUNT(*) FROM jobs");
        using var tooLarge = await admin.ImportAsync(large.ToString());
        await ProblemAssert.IsProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(jobsBefore, await factory.ScalarAsync("SELECT COUNT(*) FROM jobs"));
    }

    [SkippableFact]
    public async Task A_body_that_is_not_ndjson_by_its_content_type_is_415()
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        using var response = await admin.ImportAsync(ImportClient.Line("x"), "application/xml");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [SkippableFact]
    public async Task Only_admins_import_and_read_jobs()
    {
        using var user = factory.CreateClient(factory.Tokens.Create(7));
        using var anonymous = factory.CreateClient();

        using var asUser = await user.ImportAsync(ImportClient.Line("x"));
        using var asAnonymous = await anonymous.ImportAsync(ImportClient.Line("x"));
        using var jobAsUser = await user.GetAsync(new Uri("/api/jobs/1", UriKind.Relative));
        using var listAsUser = await user.GetAsync(new Uri("/api/jobs", UriKind.Relative));
        using var retryAsUser = await user.PostAsync(new Uri("/api/jobs/1/retry", UriKind.Relative), null);

        await ProblemAssert.IsProblemAsync(asUser, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(asAnonymous, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(jobAsUser, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(listAsUser, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(retryAsUser, HttpStatusCode.Forbidden);
    }

    [SkippableFact]
    public async Task An_unknown_job_is_404_and_retrying_a_job_that_has_not_failed_is_409()
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        using var unknown = await admin.GetAsync(new Uri("/api/jobs/987654321", UriKind.Relative));
        using var retryUnknown = await admin.PostAsync(new Uri("/api/jobs/987654321/retry", UriKind.Relative), null);
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(retryUnknown, HttpStatusCode.NotFound);

        using var accepted = await admin.ImportAsync(ImportClient.Line(CatalogClient.UniqueMarker()));
        var job = await admin.UntilAsync((await accepted.Content.ReadFromJsonAsync<Job>())!.Id, JobStatus.Completed);
        using var retryCompleted = await admin.PostAsync(new Uri($"/api/jobs/{job.Id}/retry", UriKind.Relative), null);
        await ProblemAssert.IsProblemAsync(retryCompleted, HttpStatusCode.Conflict);
    }

    [SkippableFact]
    public async Task Concurrent_imports_each_create_their_own_products_once()
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        var markers = Enumerable.Range(0, 4).Select(_ => CatalogClient.UniqueMarker()).ToArray();
        var responses = await Task.WhenAll(markers.Select(marker =>
            admin.ImportAsync(string.Join("\n", Enumerable.Range(1, 250).Select(i => ImportClient.Line($"{marker} {i}"))))));
        var ids = new List<long>();
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.Content.ReadFromJsonAsync<Job>())!.Id);
            response.Dispose();
        }

        foreach (var id in ids)
        {
            var job = await admin.UntilAsync(id, JobStatus.Completed);
            Assert.Equal(250, job.Processed);
        }

        foreach (var marker in markers)
        {
            Assert.Equal(250, await factory.ScalarAsync("SELECT COUNT(*) FROM products WHERE name LIKE @Pattern", new { Pattern = marker + " %" }));
        }
    }

    [SkippableFact]
    public async Task Jobs_are_listed_newest_first_in_pages_and_by_status()
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        var first = await factory.Queue.EnqueueAsync(FailTwiceHandler.JobType);
        var second = await factory.Queue.EnqueueAsync(FailTwiceHandler.JobType);
        await admin.UntilAsync(second.Id, JobStatus.Completed);

        using var page = await admin.GetAsync(new Uri("/api/jobs?limit=1", UriKind.Relative));
        var one = (await page.Content.ReadFromJsonAsync<Contracts.Page<Job>>())!;
        Assert.Single(one.Items);
        Assert.NotNull(one.NextCursor);
        using var next = await admin.GetAsync(new Uri($"/api/jobs?limit=1&cursor={Uri.EscapeDataString(one.NextCursor)}", UriKind.Relative));
        var two = (await next.Content.ReadFromJsonAsync<Contracts.Page<Job>>())!;
        Assert.True(two.Items[0].Id < one.Items[0].Id);
        Assert.True(one.Items[0].Id >= second.Id);
        Assert.True(second.Id > first.Id);

        await admin.UntilAsync(first.Id, JobStatus.Completed);
        using var completed = await admin.GetAsync(new Uri("/api/jobs?status=completed&limit=100", UriKind.Relative));
        var completedJobs = (await completed.Content.ReadFromJsonAsync<Contracts.Page<Job>>())!;
        Assert.All(completedJobs.Items, j => Assert.Equal(JobStatus.Completed, j.Status));
        Assert.Contains(completedJobs.Items, j => j.Id == first.Id);

        using var badStatus = await admin.GetAsync(new Uri("/api/jobs?status=draft", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(badStatus, HttpStatusCode.BadRequest);
        using var badCursor = await admin.GetAsync(new Uri("/api/jobs?cursor=nope", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(badCursor, HttpStatusCode.BadRequest);
    }

    private const string ProductImportType = "product-import";
}

public sealed class SqliteImportTests(SqliteImportFixture factory) : ImportTests(factory), IClassFixture<SqliteImportFixture>;

public sealed class PostgresImportTests(PostgresImportFixture factory) : ImportTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresImportFixture>;
