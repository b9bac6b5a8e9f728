namespace ScalableApi.System.Tests.Owasp;

/// <summary>
/// OWASP API Security Top 10 (2023), API5:2023 Broken Function Level Authorization: through the gateway, every admin
/// function (the users list, product writes, import, jobs, the dashboard's session and stream) answers 401 to
/// anonymous callers and 403 to a signed-in user, at the gateway and again at the service, and is open to an admin;
/// a method-override header does not turn a permitted method into a forbidden one. Covered elsewhere: the same per
/// service (<c>UsersAuthorizationTests.List_authorization_matrix</c>, <c>ImportTests.Only_admins_import_and_read_jobs</c>,
/// <c>ProblemDetailsTests.Signed_in_user_on_admin_route_is_403_problem</c>), the dashboard's cookie
/// (<c>DashboardTests</c>), <c>/metrics</c> only for loopback or a management port (<c>MetricsAccessTests</c>, platform).
/// </summary>
public sealed class Api5BrokenFunctionLevelAuthorizationTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task Every_admin_function_is_401_anonymous_403_to_a_user_and_open_to_an_admin()
    {
        var objects = await OwaspObjects.CreateAsync(Client);
        foreach (var (method, template) in OwaspRoutes.AdminOnly)
        {
            var path = objects.Fill(template);
            var body = OwaspObjects.BodyFor(method, template);

            using var anonymous = await Client.SendAsync(new HttpMethod(method), path, body: body);
            await anonymous.ExpectProblemAsync(HttpStatusCode.Unauthorized);
            using var user = await Client.SendAsync(new HttpMethod(method), path, objects.Owner.AccessToken, body);
            await user.ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        foreach (var (method, template) in OwaspRoutes.AdminOnly.Where(r => r.Method == "GET" || r.Path == "/dashboard/session"))
        {
            using var admin = await Client.SendAsync(new HttpMethod(method), objects.Fill(template), objects.Admin.AccessToken);
            await admin.ExpectAsync(HttpStatusCode.OK);
        }

        // The product still exists: no user request above deleted or replaced it.
        using var product = await Client.SendAsync(HttpMethod.Get, objects.Fill("/api/products/{product}"));
        await product.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Owasp", (await product.JsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_dashboard_stream_is_401_without_its_admin_session_whatever_the_bearer_token()
    {
        var objects = await OwaspObjects.CreateAsync(Client);
        foreach (var token in new[] { null, objects.Owner.AccessToken, objects.Admin.AccessToken })
        {
            using var stream = await Client.SendAsync(HttpMethod.Get, "/dashboard/stream", token);
            await stream.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Theory]
    [InlineData("X-HTTP-Method-Override")]
    [InlineData("X-HTTP-Method")]
    [InlineData("X-Method-Override")]
    public async Task A_method_override_header_does_not_delete_as_a_user(string header)
    {
        var objects = await OwaspObjects.CreateAsync(Client);
        var path = objects.Fill("/api/products/{product}");

        using var overridden = await Client.SendAsync(HttpMethod.Get, path, objects.Owner.AccessToken, headers: h => h.Add(header, "DELETE"));
        Assert.True((int)overridden.StatusCode < 500, $"GET with {header}: DELETE gave {(int)overridden.StatusCode}");
        using var post = await Client.SendAsync(HttpMethod.Post, path, objects.Owner.AccessToken, headers: h => h.Add(header, "DELETE"));
        Assert.True((int)post.StatusCode is >= 400 and < 500, $"POST with {header}: DELETE gave {(int)post.StatusCode}");

        using var still = await Client.SendAsync(HttpMethod.Get, path);
        await still.ExpectAsync(HttpStatusCode.OK);
    }
}
