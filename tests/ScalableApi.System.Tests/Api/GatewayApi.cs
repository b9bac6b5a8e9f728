namespace ScalableApi.System.Tests.Api;

/// <summary>A signed-in user as the tests use one: ids and tokens from register + login through the gateway.</summary>
public sealed record SignedInUser(long Id, string Email, string Password, string AccessToken, string RefreshToken);

/// <summary>Small typed helpers over the gateway's HTTP API, so tests read as the scenario they check.</summary>
public static class GatewayApi
{
    public const string Password = "correct horse battery";
    public const string ProblemJson = "application/problem+json";

    public static string UniqueEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.com";

    public static Task<HttpResponseMessage> SendAsync(
        this HttpClient client, HttpMethod method, string path, string? token = null, object? body = null,
        Action<HttpRequestHeaders>? headers = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        headers?.Invoke(request.Headers);
        return client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status, with the body in the message when it differs.</summary>
    public static async Task ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        }
    }

    /// <summary>An error: the status, <c>application/problem+json</c>, and the RFC 9457 members SPEC §2 requires.</summary>
    public static async Task ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        await response.ExpectAsync(status);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("title", out _), $"problem without title: {problem}");
        Assert.True(problem.TryGetProperty("traceId", out _), $"problem without traceId: {problem}");
    }

    public static async Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string email, string name = "Ada Lovelace", string password = Password) =>
        await client.SendAsync(HttpMethod.Post, "/api/auth/register", body: new { email, name, password });

    public static async Task<HttpResponseMessage> LoginAsync(this HttpClient client, string email, string password = Password) =>
        await client.SendAsync(HttpMethod.Post, "/api/auth/login", body: new { email, password });

    /// <summary>Registers a fresh user and signs in.</summary>
    public static async Task<SignedInUser> NewUserAsync(this HttpClient client, string prefix = "user")
    {
        var email = UniqueEmail(prefix);
        using var registered = await client.RegisterAsync(email);
        await registered.ExpectAsync(HttpStatusCode.Created);
        return await client.SignInAsync(email);
    }

    /// <summary>The topology's admin (<see cref="SystemTopologyOptions.AdminEmail"/>), registered on first use.</summary>
    public static async Task<SignedInUser> AdminAsync(this HttpClient client)
    {
        using var registered = await client.RegisterAsync(SystemTopologyOptions.AdminEmail, "Admin");
        Assert.True(registered.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"admin registration: {(int)registered.StatusCode}");
        return await client.SignInAsync(SystemTopologyOptions.AdminEmail);
    }

    public static async Task<SignedInUser> SignInAsync(this HttpClient client, string email, string password = Password)
    {
        using var login = await client.LoginAsync(email, password);
        await login.ExpectAsync(HttpStatusCode.OK);
        var tokens = await login.JsonAsync();
        using var profile = await client.SendAsync(HttpMethod.Get, "/api/profile", tokens.GetProperty("accessToken").GetString());
        await profile.ExpectAsync(HttpStatusCode.OK);
        var id = (await profile.JsonAsync()).GetProperty("id").GetInt64();
        return new SignedInUser(id, email, password, tokens.GetProperty("accessToken").GetString()!, tokens.GetProperty("refreshToken").GetString()!);
    }

    /// <summary>Creates a product as <paramref name="admin"/>; returns its id.</summary>
    public static async Task<long> CreateProductAsync(this HttpClient client, SignedInUser admin, string name = "Widget")
    {
        using var created = await client.SendAsync(HttpMethod.Post, "/api/products", admin.AccessToken, NewProduct(name));
        await created.ExpectAsync(HttpStatusCode.Created);
        return (await created.JsonAsync()).GetProperty("id").GetInt64();
    }

    /// <summary><paramref name="count"/> products named <c>{name} 0</c>, <c>{name} 1</c>, …: their ids, in that order.</summary>
    public static async Task<List<long>> CreateProductsAsync(this HttpClient client, SignedInUser admin, int count, string name)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await client.CreateProductAsync(admin, $"{name} {i}"));
        }

        return ids;
    }

    public static object NewProduct(string name = "Widget", decimal price = 9.99m, int stock = 5) =>
        new { name, description = "A product made by a system test", price, stock };

    public static string Path(FormattableString path) => path.ToString(CultureInfo.InvariantCulture);
}
