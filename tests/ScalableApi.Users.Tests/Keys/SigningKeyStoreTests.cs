using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using ScalableApi.Platform.Hosting;
using ScalableApi.Platform.Security;
using ScalableApi.Users.Keys;

namespace ScalableApi.Users.Tests.Keys;

/// <summary>The key folder on its own, on a fake clock: first start, replicas starting together, publishing ahead, retirement and deletion.</summary>
public sealed class SigningKeyStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scalableapi-tests", "keys-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void First_start_creates_one_private_jwk_file_readable_by_the_owner_only()
    {
        var key = Store().EnsureActiveKey();

        var files = Directory.GetFiles(_directory, "*.json");
        var file = Assert.Single(files);
        Assert.Equal(key.Kid + ".json", Path.GetFileName(file));
        var json = File.ReadAllText(file);
        Assert.Contains("\"d\":", json, StringComparison.Ordinal);
        Assert.Contains("\"crv\":\"P-256\"", json, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // A restart (or another replica) reuses it.
        Assert.Equal(key.Kid, Store().EnsureActiveKey().Kid);
        Assert.Single(Directory.GetFiles(_directory, "*.json"));
    }

    [Fact]
    public async Task Replicas_starting_together_on_an_empty_folder_agree_on_one_key()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => Store()).ToList();
        var kids = await Task.WhenAll(stores.Select(s => Task.Run(() => s.EnsureActiveKey().Kid)));

        Assert.Single(kids.Distinct());
        Assert.Single(Directory.GetFiles(_directory, "*.json"));
    }

    [Fact]
    public void The_next_key_is_published_at_least_the_publish_lead_before_it_signs()
    {
        var store = Store();
        var first = store.EnsureActiveKey();
        var lead = new UsersOptions().SigningKeyPublishAhead;

        _time.Advance(TimeSpan.FromDays(30) - lead - TimeSpan.FromMinutes(1));
        Assert.Equal(first.Kid, store.GetSigningCredentials().Key.KeyId);
        Assert.Single(store.GetVerificationKeys());

        // Within the lead of its rotation: the successor is written, published, and does not sign yet.
        _time.Advance(TimeSpan.FromMinutes(2));
        var publishedAt = _time.GetUtcNow();
        Assert.Equal(first.Kid, store.GetSigningCredentials().Key.KeyId);
        var next = store.GetVerificationKeys()[^1];
        Assert.NotEqual(first.Kid, next.Kid);
        Assert.True(DateTimeOffset.FromUnixTimeMilliseconds(next.CreatedAt) - publishedAt >= lead - TimeSpan.FromMinutes(1));

        _time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(next.CreatedAt - 1));
        Assert.Equal(first.Kid, store.GetSigningCredentials().Key.KeyId);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(next.Kid, store.GetSigningCredentials().Key.KeyId);
        Assert.Equal(2, Directory.GetFiles(_directory, "*.json").Length);
    }

    [Fact]
    public void A_retired_key_verifies_until_its_tokens_expire_then_its_file_is_deleted()
    {
        var store = Store();
        var first = store.EnsureActiveKey();
        _time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(first.Kid, store.EnsureActiveKey().Kid); // the successor is written ahead; the first still signs
        var second = store.GetVerificationKeys()[^1];
        _time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(second.CreatedAt));
        Assert.Equal(second.Kid, store.GetSigningCredentials().Key.KeyId);

        // Access token lifetime (1 h) + clock skew (30 s): a token signed just before the switch is still acceptable.
        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(29));
        Assert.Contains(store.GetKeys(), k => k.KeyId == first.Kid);
        store.EnsureActiveKey();
        Assert.Equal(2, Directory.GetFiles(_directory, "*.json").Length);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([second.Kid], store.GetKeys().Select(k => k.KeyId));
        store.EnsureActiveKey();
        Assert.Equal([second.Kid + ".json"], Directory.GetFiles(_directory, "*.json").Select(Path.GetFileName));
    }

    [Fact]
    public void A_store_idle_past_its_rotation_keeps_signing_until_the_next_key_has_been_published_for_the_lead()
    {
        var store = Store();
        var first = store.EnsureActiveKey();
        var lead = new UsersOptions().SigningKeyPublishAhead;
        _time.Advance(TimeSpan.FromDays(40));

        Assert.Equal(first.Kid, store.GetSigningCredentials().Key.KeyId);
        var next = store.GetVerificationKeys()[^1];
        Assert.Equal(_time.GetUtcNow() + lead, DateTimeOffset.FromUnixTimeMilliseconds(next.CreatedAt));
        _time.Advance(lead);
        Assert.Equal(next.Kid, store.GetSigningCredentials().Key.KeyId);
    }

    [Fact]
    public async Task A_key_another_replica_published_is_found_on_its_unknown_kid()
    {
        var mine = Store();
        mine.EnsureActiveKey();
        _time.Advance(TimeSpan.FromDays(31));
        Assert.Single(mine.GetKeys()); // Read the folder now, before the other replica writes the next key.
        var other = Store();
        other.GetSigningCredentials();
        var theirs = other.GetVerificationKeys()[^1].Kid;
        Assert.DoesNotContain(mine.GetKeys(), k => k.KeyId == theirs);

        await mine.EnsureKeyAsync(theirs, CancellationToken.None);
        Assert.Contains(mine.GetKeys(), k => k.KeyId == theirs);
        // Once it starts, it signs with that key rather than writing a third one.
        _time.Advance(new UsersOptions().SigningKeyPublishAhead);
        Assert.Equal(theirs, mine.GetSigningCredentials().Key.KeyId);
        Assert.Equal(2, Directory.GetFiles(_directory, "*.json").Length);
    }

    [Fact]
    public void Damaged_files_are_skipped_not_fatal()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "broken.json"), "{ not json");
        File.WriteAllText(Path.Combine(_directory, "foreign.json"), """{"kty":"RSA","kid":"x"}""");

        var key = Store().EnsureActiveKey();
        Assert.Equal([key.Kid], Store().GetVerificationKeys().Select(k => k.Kid));
    }

    [Fact]
    public void Signing_credentials_are_ES256()
    {
        var credentials = Store().GetSigningCredentials();
        Assert.Equal(SecurityAlgorithms.EcdsaSha256, credentials.Algorithm);
        Assert.IsType<ECDsaSecurityKey>(credentials.Key);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private SigningKeyStore Store() => new(
        Options.Create(new UsersOptions { KeysDirectory = _directory }),
        Options.Create(new AuthOptions()),
        Options.Create(new PlatformOptions()),
        _time,
        NullLogger<SigningKeyStore>.Instance);
}
