using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using ScalableApi.Users.Accounts;

namespace ScalableApi.Users.Auth;

/// <summary>
/// PBKDF2 (ASP.NET Identity's hasher, HMAC-SHA512, <see cref="Iterations"/> rounds) plus the one thing the hasher
/// does not give: an unknown e-mail is checked against a dummy hash, so it costs the same time as a wrong password
/// and login timing does not reveal who has an account.
/// </summary>
internal sealed class PasswordService
{
    public const int Iterations = 100_000;

    private readonly PasswordHasher<User> _hasher = new(Microsoft.Extensions.Options.Options.Create(
        new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3, IterationCount = Iterations }));

    private readonly Lazy<string> _dummyHash;

    public PasswordService()
    {
        _dummyHash = new(() => _hasher.HashPassword(new User(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    }

    public string Hash(string password) => _hasher.HashPassword(new User(), password);

    /// <summary>
    /// Checks <paramref name="password"/>. All hashes are written with today's parameters, so the hasher's
    /// "rehash needed" signal cannot occur yet and counts as success.
    /// </summary>
    public bool Verify(string storedHash, string password) =>
        _hasher.VerifyHashedPassword(new User(), storedHash, password) != PasswordVerificationResult.Failed;

    /// <summary>Spends the time of a real verification and always fails.</summary>
    public bool VerifyUnknownUser(string password)
    {
        _hasher.VerifyHashedPassword(new User(), _dummyHash.Value, password);
        return false;
    }

    /// <summary>Computes the dummy hash at start-up rather than on the first failed login.</summary>
    public void Warm() => _ = _dummyHash.Value;
}
