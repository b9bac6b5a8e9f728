using Microsoft.IdentityModel.Tokens;

namespace ScalableApi.System.Tests.Owasp;

/// <summary>
/// OWASP API Security Top 10 (2023), API2:2023 Broken Authentication: through the gateway, every route that needs a
/// signed-in caller answers 401 problem+json to no token, a malformed one, an unsigned (<c>alg: none</c>) admin
/// token and a real token with one byte of its payload changed, and no such request changes anything. Covered
/// elsewhere: forged keys, HS256 key confusion, expiry, audience (<c>TokenValidationTests</c>, users;
/// <c>JwtValidationTests</c>, platform); refresh-token reuse revoking the family (<c>AuthTests</c>); the same 401 for
/// an unknown email and a wrong password (<c>AuthTests.Login_fails_with_the_same_401_body…</c>); failed-login limits
/// per IP and per email (<c>ScalableApi.Gateway.Tests/RateLimiting</c>); a deleted user's token refused at once
/// (<c>UserDeletionThroughTheGatewayTests</c>).
/// </summary>
public sealed class Api2BrokenAuthenticationTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task Every_signed_in_and_admin_route_is_401_without_a_valid_token()
    {
        var objects = await OwaspObjects.CreateAsync(Client);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var unsigned = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
            + Base64UrlEncoder.Encode($"{{\"sub\":\"{objects.Admin.Id}\",\"role\":\"admin\",\"iss\":\"scalableapi\",\"aud\":\"scalableapi\",\"exp\":{now + 3600},\"nbf\":{now}}}") + ".";
        var parts = objects.Owner.AccessToken.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"role\":\"user\"", "\"role\":\"admin\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        Assert.NotEqual(objects.Owner.AccessToken, tampered);

        foreach (var (method, template) in OwaspRoutes.SignedIn.Concat(OwaspRoutes.AdminOnly))
        {
            foreach (var token in new string?[] { null, "garbage", "a.b.c", unsigned, tampered })
            {
                var path = objects.Fill(template);
                using var response = await Client.SendAsync(new HttpMethod(method), path, token, OwaspObjects.BodyFor(method, template));
                await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
                Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
            }
        }

        // Nothing any of them asked for happened.
        using var user = await Client.SendAsync(HttpMethod.Get, GatewayApi.Path($"/api/users/{objects.Owner.Id}"));
        await user.ExpectAsync(HttpStatusCode.OK);
        using var product = await Client.SendAsync(HttpMethod.Get, GatewayApi.Path($"/api/products/{objects.Product}"));
        await product.ExpectAsync(HttpStatusCode.OK);
        using var post = await Client.SendAsync(HttpMethod.Get, GatewayApi.Path($"/api/posts/{objects.Post}"));
        await post.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refresh_token_is_not_an_access_token_and_an_access_token_is_not_a_refresh_token()
    {
        var user = await Client.NewUserAsync("tokens");

        using var asBearer = await Client.SendAsync(HttpMethod.Get, "/api/profile", user.RefreshToken);
        await asBearer.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        // Too long to be a refresh token (400) or unknown (401): refused either way, and no pair comes back.
        using var asRefresh = await Client.SendAsync(HttpMethod.Post, "/api/auth/refresh", body: new { refreshToken = user.AccessToken });
        Assert.True(asRefresh.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"refresh with an access token: {(int)asRefresh.StatusCode}");
        await asRefresh.ExpectProblemAsync(asRefresh.StatusCode);
    }
}
