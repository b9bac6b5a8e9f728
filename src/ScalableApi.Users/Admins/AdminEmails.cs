using ScalableApi.Users.Accounts;

namespace ScalableApi.Users.Admins;

/// <summary><c>Users:AdminEmails</c>, normalised like stored addresses so the comparison is exact.</summary>
internal sealed class AdminEmails(IOptions<UsersOptions> options)
{
    private readonly HashSet<string> _emails = [.. options.Value.AdminEmails
        .Select(e => EmailAddress.TryNormalize(e, out var normalized) ? normalized : null)
        .OfType<string>()];

    public IReadOnlyCollection<string> All => _emails;

    public bool Contains(string normalizedEmail) => _emails.Contains(normalizedEmail);
}
