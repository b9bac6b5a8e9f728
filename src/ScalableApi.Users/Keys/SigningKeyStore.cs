using Microsoft.IdentityModel.Tokens;

namespace ScalableApi.Users.Keys;

/// <summary>
/// The ES256 keys the users service signs with, kept as JWK files in one folder that every replica shares.
/// A key's <c>created</c> is when it starts signing. The next key is written <see cref="UsersOptions.SigningKeyPublishAhead"/>
/// before that moment, so every service's JWKS cache holds it before the first token it signs arrives; the key before
/// it keeps verifying until no token it signed can still be valid (its successor's start + access token lifetime +
/// clock skew), and its file is deleted after that. The folder is the source of truth:
/// replicas re-read it every few seconds and on an unknown <c>kid</c>, and create keys only under a lock file,
/// so two replicas starting or rotating at once end up with one new key, not two.
/// Also the users service's own <see cref="ISigningKeySource"/>: it validates with the same keys it publishes.
/// </summary>
internal sealed partial class SigningKeyStore : ISigningKeySource
{
    private const string LockFileName = ".lock";
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    private readonly string _directory;
    private readonly long _rotationMs;
    private readonly long _publishAheadMs;
    private readonly long _verifyWindowMs;
    private readonly long _unknownKidReloadMs;
    private readonly TimeProvider _time;
    private readonly ILogger<SigningKeyStore> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ECDsaSecurityKey> _loaded = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<SigningKey> _keys = [];
    private long _loadedAtMs = long.MinValue;
    private long _unknownKidReloadAtMs = long.MinValue;

    public SigningKeyStore(
        IOptions<UsersOptions> users,
        IOptions<AuthOptions> auth,
        IOptions<PlatformOptions> platform,
        TimeProvider time,
        ILogger<SigningKeyStore> logger)
    {
        _directory = Path.GetFullPath(users.Value.KeysDirectory is { Length: > 0 } configured
            ? configured
            : Path.Combine(platform.Value.DataDirectory, "keys"));
        _rotationMs = (long)TimeSpan.FromDays(users.Value.SigningKeyRotationDays).TotalMilliseconds;
        _publishAheadMs = (long)users.Value.SigningKeyPublishAhead.TotalMilliseconds;
        _verifyWindowMs = (long)(users.Value.AccessTokenLifetime + auth.Value.ClockSkew).TotalMilliseconds;
        _unknownKidReloadMs = (long)auth.Value.JwksRefreshMinInterval.TotalMilliseconds;
        _time = time;
        _logger = logger;
    }

    public string Directory => _directory;

    /// <summary>
    /// Loads the folder; creates the first key (it signs at once: nobody holds a token yet), or writes the next one
    /// ahead of its start when the active key nears its rotation; deletes the files of keys that verify nothing any
    /// more. Runs at start-up and from <see cref="UsersMaintenance"/>; the signing path calls it only when it must.
    /// </summary>
    public SigningKey EnsureActiveKey()
    {
        var now = Now();
        var keys = Reload(now);
        if (keys.Count > 0 && !NeedsWork(keys, now))
        {
            return Active(keys, now);
        }

        lock (_gate)
        {
            using var fileLock = AcquireFileLock();
            // Another replica may have done it while this one waited for the lock.
            keys = Reload(now);
            if (keys.Count == 0)
            {
                Create(now);
            }
            else if (NeedsNext(keys, now))
            {
                Create(Math.Max(keys[^1].CreatedAt + _rotationMs, now + _publishAheadMs));
            }

            foreach (var expired in Reload(now).Where(k => !k.Verifies(now)))
            {
                File.Delete(Path.Combine(_directory, expired.Kid + SigningKeyFile.Extension));
                LogDeleted(expired.Kid);
            }

            return Active(Reload(now), now);
        }
    }

    /// <summary>Credentials of the active key: the newest one whose start has come.</summary>
    public SigningCredentials GetSigningCredentials()
    {
        var now = Now();
        var keys = CurrentKeys(now);
        var active = keys.Count > 0 && !NeedsNext(keys, now) ? Active(keys, now) : EnsureActiveKey();
        return new SigningCredentials(active.SecurityKey, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>Keys that verify now: what the JWKS publishes and what token validation accepts.</summary>
    public IReadOnlyList<SigningKey> GetVerificationKeys()
    {
        var now = Now();
        return [.. CurrentKeys(now).Where(k => k.Verifies(now))];
    }

    public IReadOnlyList<SecurityKey> GetKeys() => [.. GetVerificationKeys().Select(k => (SecurityKey)k.SecurityKey)];

    public ValueTask EnsureKeyAsync(string? keyId, CancellationToken cancellationToken)
    {
        var now = Now();
        var keys = CurrentKeys(now);
        if (keyId is not null && !keys.Any(k => k.Kid == keyId)
            && Elapsed(now, ref _unknownKidReloadAtMs) >= _unknownKidReloadMs)
        {
            // A key another replica created since the last read; throttled so forged kids cost one read per interval.
            Interlocked.Exchange(ref _unknownKidReloadAtMs, now);
            Reload(now);
        }

        return ValueTask.CompletedTask;
    }

    private IReadOnlyList<SigningKey> CurrentKeys(long now) =>
        Elapsed(now, ref _loadedAtMs) >= ReloadInterval.TotalMilliseconds ? Reload(now) : _keys;

    /// <summary>Milliseconds since <paramref name="since"/>; "forever" before the first time (no overflow on MinValue).</summary>
    private static long Elapsed(long now, ref long since)
    {
        var then = Interlocked.Read(ref since);
        return then == long.MinValue ? long.MaxValue : now - then;
    }

    /// <summary>The newest key whose start has come (the first one if the clock went back before every start).</summary>
    private static SigningKey Active(IReadOnlyList<SigningKey> keys, long now) => keys.LastOrDefault(k => k.CreatedAt <= now) ?? keys[0];

    /// <summary>The newest key already signs and is within the publish lead of its rotation: its successor must be written now.</summary>
    private bool NeedsNext(IReadOnlyList<SigningKey> keys, long now) =>
        keys[^1].CreatedAt <= now && now - keys[^1].CreatedAt >= _rotationMs - _publishAheadMs;

    private bool NeedsWork(IReadOnlyList<SigningKey> keys, long now) => NeedsNext(keys, now) || keys.Any(k => !k.Verifies(now));

    private void Create(long startsAt)
    {
        var file = SigningKeyFile.Generate(startsAt);
        file.Save(_directory);
        LogCreated(file.Kid, _directory, DateTimeOffset.FromUnixTimeMilliseconds(startsAt));
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private IReadOnlyList<SigningKey> Reload(long now)
    {
        lock (_gate)
        {
            System.IO.Directory.CreateDirectory(_directory);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var files = new List<SigningKeyFile>();
            foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + SigningKeyFile.Extension))
            {
                if (SigningKeyFile.TryRead(path) is { } file)
                {
                    files.Add(file);
                }
                else
                {
                    LogUnreadable(path);
                }
            }

            files.Sort((a, b) => a.Created != b.Created ? a.Created.CompareTo(b.Created) : string.CompareOrdinal(a.Kid, b.Kid));
            var keys = new List<SigningKey>(files.Count);
            for (var i = 0; i < files.Count; i++)
            {
                var file = files[i];
                if (!_loaded.TryGetValue(file.Kid, out var securityKey))
                {
                    // Loaded once and kept for the process lifetime: in-flight requests may still hold it.
                    securityKey = new ECDsaSecurityKey(file.ToECDsa()) { KeyId = file.Kid };
                    _loaded[file.Kid] = securityKey;
                }

                long? verifiesUntil = i + 1 < files.Count ? files[i + 1].Created + _verifyWindowMs : null;
                keys.Add(new SigningKey(file.Kid, file.Created, verifiesUntil, securityKey, file));
            }

            _keys = keys;
            Interlocked.Exchange(ref _loadedAtMs, now);
            return keys;
        }
    }

    /// <summary>
    /// An exclusive lock on <c>.lock</c> in the key folder (FileShare.None is an flock on Unix), held while
    /// deciding whether to create a key. Waits for another replica's creation instead of racing it.
    /// </summary>
    private FileStream AcquireFileLock()
    {
        var path = Path.Combine(_directory, LockFileName);
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Another process holds the lock (a replica creating the key). There is no async flock to await,
                // and this runs only when a key is created (first start, rotation), never per request.
                Thread.Sleep(25);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created signing key {Kid} in {Directory}, signing from {StartsAt}")]
    private partial void LogCreated(string kid, string directory, DateTimeOffset startsAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted signing key {Kid}: no token it signed can still be valid")]
    private partial void LogDeleted(string kid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping unreadable signing key file {Path}")]
    private partial void LogUnreadable(string path);
}
