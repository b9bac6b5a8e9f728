// Not ScalableApi.*.Tests.Options: a namespace of that name would hide Microsoft.Extensions.Options.Options.
namespace ScalableApi.Users.Tests;

/// <summary><c>Users</c> options are checked when the service starts: a bad value stops it, naming the key.</summary>
public sealed class UsersOptionsTests
{
    [Theory]
    [InlineData("Users:AccessTokenLifetime", "00:00:00")]
    [InlineData("Users:AccessTokenLifetime", "-01:00:00")]
    [InlineData("Users:AccessTokenLifetime", "7.00:00:00")]
    [InlineData("Users:RefreshTokenLifetime", "00:00:00")]
    [InlineData("Users:SigningKeyRotationDays", "0")]
    [InlineData("Users:SigningKeyRotationDays", "-30")]
    [InlineData("Users:AdminEmails:0", "not-an-email")]
    [InlineData("Users:SigningKeyPublishAhead", "-00:01:00")]
    [InlineData("Users:SigningKeyPublishAhead", "30.00:00:00")]
    [InlineData("Users:MaintenanceInterval", "00:00:00")]
    [InlineData("Users:RefreshTokenSweepBatchSize", "0")]
    public Task UsersOptions_refuse(string key, string value) =>
        StartupFailure.AssertNamesKeyAsync(settings => new UsersService(settings), key, value);

    [Fact]
    public async Task A_bad_admin_address_is_named_by_its_position_without_echoing_it()
    {
        var message = await StartupFailure.MessageAsync(() => new UsersService(new()
        {
            ["Users:AdminEmails:0"] = "ops@example.com",
            ["Users:AdminEmails:1"] = "ops at example",
        }));

        Assert.Contains("Users:AdminEmails:1", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Users:AdminEmails:0", message, StringComparison.Ordinal);
        Assert.DoesNotContain("ops at example", message, StringComparison.Ordinal);
    }

    private sealed class UsersService(Dictionary<string, string?> settings) : ServiceFactory<Program>(DatabaseEngine.Sqlite)
    {
        protected override bool UseTestTokens => false;

        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => settings;
    }
}
