using ScalableApi.Contracts;
using ScalableApi.Users.Accounts;

namespace ScalableApi.Users.Tests.Accounts;

/// <summary>The admin list of /api/users: newest first, paged by an opaque cursor, bad paging refused.</summary>
public abstract class UsersListTests(UsersFactory factory)
{
    [SkippableFact]
    public async Task Admin_list_pages_newest_first_with_an_opaque_cursor_until_null()
    {
        // Three users of our own are the newest rows (other tests may add rows concurrently; they only come before).
        var created = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await factory.RegisterAsync(UsersFactory.NewEmail(), $"Listed {i}")).Id);
        }

        using var admin = factory.CreateClient((await factory.AdminAsync()).AccessToken);
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var url = cursor is null ? "/api/users?limit=2" : $"/api/users?limit=2&cursor={Uri.EscapeDataString(cursor)}";
            var page = (await admin.GetFromJsonAsync<Page<UserResponse>>(url))!;
            Assert.InRange(page.Items.Count, 0, 2);
            Assert.All(page.Items, u => Assert.False(string.IsNullOrEmpty(u.Email)));
            seen.AddRange(page.Items.Select(u => u.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(seen.OrderDescending(), seen);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Subset(seen.ToHashSet(), created.ToHashSet());
    }

    [SkippableTheory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("cursor=not-ours", "cursor")]
    public async Task Admin_list_with_bad_paging_is_400(string query, string field)
    {
        using var admin = factory.CreateClient((await factory.AdminAsync()).AccessToken);
        await ProblemAssert.HasFieldErrorAsync(await admin.GetAsync($"/api/users?{query}"), field);
    }
}

public sealed class SqliteUsersListTests(SqliteFixture factory) : UsersListTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresUsersListTests(PostgresFixture factory) : UsersListTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
