using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Contracts;

namespace ScalableApi.Content.Tests.Paging;

/// <summary>Cursor pages walk every item exactly once, newest first, and bad paging parameters are a 400.</summary>
public abstract class PagingTests(ServiceFactory<Program> factory)
{
    private const int Items = 23;

    private readonly ContentApi _api = new(factory);

    /// <summary>The three list endpoints, each seeded with <see cref="Items"/> items; returns the url and the ids newest first.</summary>
    private async Task<(string Url, long[] Ids)> SeedAsync(string list)
    {
        var ownerId = ContentApi.NewUserId();
        var ids = new List<long>();
        switch (list)
        {
            case "user posts":
                for (var i = 0; i < Items; i++)
                {
                    ids.Add((await _api.CreatePostAsync(ownerId, $"post {i}")).Id);
                }

                return ($"/api/users/{ownerId}/posts", [.. Enumerable.Reverse(ids)]);
            case "post comments":
                var post = await _api.CreatePostAsync(ownerId);
                for (var i = 0; i < Items; i++)
                {
                    ids.Add((await _api.CreateCommentAsync(post.Id, ContentApi.NewUserId(), $"comment {i}")).Id);
                }

                return ($"/api/posts/{post.Id}/comments", [.. Enumerable.Reverse(ids)]);
            default:
                var target = await _api.CreatePostAsync(ContentApi.NewUserId());
                for (var i = 0; i < Items; i++)
                {
                    ids.Add((await _api.CreateCommentAsync(target.Id, ownerId, $"comment {i}")).Id);
                }

                return ($"/api/users/{ownerId}/comments", [.. Enumerable.Reverse(ids)]);
        }
    }

    private async Task<List<long>> WalkAsync(string list, string url, int limit, Func<Task>? afterFirstPage = null)
    {
        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var pageUrl = $"{url}?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var ids = list == "user posts"
                ? await IdsOf<Post>(pageUrl, p => p.Id)
                : await IdsOf<Comment>(pageUrl, c => c.Id);
            Assert.True(ids.Page.Count <= limit);
            Assert.True(ids.Page.Count == limit || ids.Cursor is null, "a short page must be the last one");
            seen.AddRange(ids.Page);
            cursor = ids.Cursor;
            if (++pages == 1 && afterFirstPage is not null)
            {
                await afterFirstPage();
            }

            Assert.True(pages <= Items + 1, "the walk does not end");
        }
        while (cursor is not null);

        return seen;
    }

    private async Task<(List<long> Page, string? Cursor)> IdsOf<T>(string url, Func<T, long> id)
    {
        var page = await _api.GetPageAsync<T>(url);
        return (page.Items.Select(id).ToList(), page.NextCursor);
    }

    [SkippableTheory]
    [InlineData("user posts", 5)]
    [InlineData("user posts", 1)]
    [InlineData("user posts", 23)]
    [InlineData("post comments", 5)]
    [InlineData("post comments", 100)]
    [InlineData("user comments", 4)]
    [InlineData("user comments", 22)]
    public async Task Walking_the_pages_returns_every_item_once_newest_first(string list, int limit)
    {
        var (url, expected) = await SeedAsync(list);

        var seen = await WalkAsync(list, url, limit);

        Assert.Equal(expected, seen);
    }

    [SkippableTheory]
    [InlineData("user posts")]
    [InlineData("post comments")]
    [InlineData("user comments")]
    public async Task Items_added_during_a_walk_neither_duplicate_nor_hide_older_items(string list)
    {
        var (url, expected) = await SeedAsync(list);

        // Newer items land above the cursor: the walk still sees exactly the items that existed when it began.
        var seen = await WalkAsync(list, url, 5, async () =>
        {
            var newerPost = await _api.CreatePostAsync(ContentApi.NewUserId());
            await _api.CreateCommentAsync(newerPost.Id, ContentApi.NewUserId());
        });

        Assert.Equal(expected, seen);
    }

    [SkippableFact]
    public async Task Default_page_is_20_items()
    {
        var (url, expected) = await SeedAsync("user posts");

        var page = await _api.GetPageAsync<Post>(url);

        Assert.Equal(PageRequest.DefaultLimit, page.Items.Count);
        Assert.Equal(expected.Take(PageRequest.DefaultLimit), page.Items.Select(p => p.Id));
        Assert.NotNull(page.NextCursor);
    }

    public static TheoryData<string> BadPaging => new()
    {
        "limit=0",
        "limit=101",
        "limit=-1",
        "limit=abc",
        "limit=99999999999999999999",
        "limit=1.5",
        "cursor=not-a-cursor",
        "cursor=%27%3B%20DROP%20TABLE%20posts%3B--",
        "cursor=" + KeysetCursor.Encode(1, 2),
        "cursor=" + new string('A', 500),
    };

    [SkippableTheory]
    [MemberData(nameof(BadPaging))]
    public async Task Bad_limit_or_cursor_is_400_on_every_list(string query)
    {
        var post = await _api.CreatePostAsync(ContentApi.NewUserId());
        using var client = _api.Anonymous();
        foreach (var url in new[] { $"/api/users/{post.AuthorId}/posts", $"/api/posts/{post.Id}/comments", $"/api/users/{post.AuthorId}/comments" })
        {
            using var response = await client.GetAsync($"{url}?{query}");
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
            if (query.StartsWith("cursor", StringComparison.Ordinal) || query is "limit=0" or "limit=101" or "limit=-1")
            {
                Assert.True(problem.GetProperty("errors").TryGetProperty(query.Split('=')[0], out _), $"{url}?{query}: {problem}");
            }
        }
    }
}

public sealed class SqlitePagingTests(SqliteFixture fixture) : PagingTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresPagingTests(PostgresFixture fixture) : PagingTests(TestDatabase.RequirePostgres(fixture)), IClassFixture<PostgresFixture>;
