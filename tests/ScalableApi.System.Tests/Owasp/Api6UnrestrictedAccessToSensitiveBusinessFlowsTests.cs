using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests.Owasp;

/// <summary>
/// OWASP API Security Top 10 (2023), API6:2023 Unrestricted Access to Sensitive Business Flows: the flows worth
/// automating against us are sign-up and sign-in (account farming, credential stuffing). Through the gateway both
/// are counted by the shared rate limiter on every answer (<c>RateLimit-*</c> headers, the remaining allowance
/// falling with each attempt, from any gateway replica), a failed sign-in says nothing about whether the e-mail
/// exists, and 10 failed sign-ins lock that e-mail (429, even for the right password) while others sign in. This
/// topology raises the per-IP and per-user limits out of the way of load (as the benchmarks do), so those 429s, per
/// IP, per user, 10 failed logins per IP, 20 registrations per IP, are asserted in
/// <c>ScalableApi.Gateway.Tests/RateLimiting/RateLimitTests</c>; a keyed POST running once in the idempotency suites
/// (<c>*/Idempotency</c>).
/// </summary>
public sealed class Api6UnrestrictedAccessToSensitiveBusinessFlowsTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task Every_failed_sign_in_is_counted_against_the_callers_allowance()
    {
        var email = UniqueEmail("stuffing");
        (await Client.RegisterAsync(email)).Dispose();

        var remaining = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            using var failed = await Client.LoginAsync(email, "wrong password " + i);
            await failed.ExpectProblemAsync(HttpStatusCode.Unauthorized);
            Assert.True(failed.Headers.Contains("RateLimit-Limit"), "a failed login carries no RateLimit-Limit");
            remaining.Add(long.Parse(failed.Headers.GetValues("RateLimit-Remaining").Single(), CultureInfo.InvariantCulture));
        }

        Assert.True(remaining[2] < remaining[0], $"remaining allowance did not fall: {string.Join(", ", remaining)}");
    }

    [Fact]
    public async Task Every_registration_is_counted_against_the_callers_allowance()
    {
        var remaining = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            using var registered = await Client.RegisterAsync(UniqueEmail("farm"));
            await registered.ExpectAsync(HttpStatusCode.Created);
            remaining.Add(long.Parse(registered.Headers.GetValues("RateLimit-Remaining").Single(), CultureInfo.InvariantCulture));
        }

        Assert.True(remaining[1] < remaining[0], $"remaining allowance did not fall: {string.Join(", ", remaining)}");
    }

    [Fact]
    public async Task Ten_failed_sign_ins_lock_that_email_even_for_the_right_password_while_another_signs_in()
    {
        var victim = UniqueEmail("stuffed");
        var bystander = UniqueEmail("bystander");
        (await Client.RegisterAsync(victim)).Dispose();
        (await Client.RegisterAsync(bystander)).Dispose();

        for (var i = 0; i < 10; i++)
        {
            using var failed = await Client.LoginAsync(victim, "guess " + i);
            await failed.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var locked = await Client.LoginAsync(victim);
        await locked.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a locked sign-in says when to come back");
        using var other = await Client.LoginAsync(bystander);
        await other.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_failed_sign_in_reads_the_same_for_an_unknown_email_and_a_wrong_password()
    {
        var email = UniqueEmail("enumerate");
        (await Client.RegisterAsync(email)).Dispose();

        using var wrongPassword = await Client.LoginAsync(email, "not the password");
        using var unknownEmail = await Client.LoginAsync(UniqueEmail("nobody"), "not the password");

        await wrongPassword.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await unknownEmail.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        var a = await wrongPassword.JsonAsync();
        var b = await unknownEmail.JsonAsync();
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
        Assert.Equal(a.TryGetProperty("detail", out var da) ? da.GetString() : null, b.TryGetProperty("detail", out var db) ? db.GetString() : null);
    }
}
