using System.Net.Mail;

namespace ScalableApi.Users.Accounts;

/// <summary>
/// The one place e-mail addresses are checked and normalised: trimmed, domain lower-cased, local part kept
/// as sent (RFC 5321 lets it be case-sensitive). Everything that compares addresses uses this form.
/// </summary>
internal static class EmailAddress
{
    public const int MaxLength = 254;

    public static bool TryNormalize(string? raw, out string normalized)
    {
        normalized = string.Empty;
        if (raw is null)
        {
            return false;
        }

        var trimmed = raw.Trim();
        var at = trimmed.LastIndexOf('@');
        if (trimmed.Length is 0 or > MaxLength || at <= 0 || at > 64 || at == trimmed.Length - 1)
        {
            return false;
        }

        foreach (var c in trimmed)
        {
            // Whitespace, controls and angle brackets would let "Name <a@b.c>" display forms through MailAddress.
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or '(' or ')' or ',' or ';' or '\\')
            {
                return false;
            }
        }

        var domain = trimmed[(at + 1)..];
        if (!domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.')
            || domain.Contains("..", StringComparison.Ordinal) || trimmed[..at].Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        if (!MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed)
        {
            return false;
        }

        normalized = string.Concat(trimmed.AsSpan(0, at + 1), domain.ToLowerInvariant());
        return true;
    }
}
