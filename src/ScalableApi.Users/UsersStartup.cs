using ScalableApi.Users.Accounts;
using ScalableApi.Users.Admins;
using ScalableApi.Users.Auth;
using ScalableApi.Users.Keys;

namespace ScalableApi.Users;

/// <summary>
/// Start-up work after migrations (hosted services start in registration order, and AddDatabase registers first):
/// load or create the signing key so the first login does not pay for it, compute the dummy password hash,
/// and promote the configured admin e-mails that already have accounts.
/// </summary>
internal sealed partial class UsersStartup(
    SigningKeyStore keys,
    PasswordService passwords,
    AdminEmails admins,
    UserStore users,
    ILogger<UsersStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var active = keys.EnsureActiveKey();
        LogActiveKey(active.Kid);
        passwords.Warm();
        foreach (var email in admins.All)
        {
            if (await users.PromoteAsync(email, cancellationToken))
            {
                LogPromoted(email);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing with key {Kid}")]
    private partial void LogActiveKey(string kid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Promoted {Email} to admin (Users:AdminEmails)")]
    private partial void LogPromoted(string email);
}
