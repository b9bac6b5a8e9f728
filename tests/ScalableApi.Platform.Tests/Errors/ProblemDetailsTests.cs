namespace ScalableApi.Platform.Tests.Errors;

/// <summary>Every error a client can cause, and every one the server can, is problem+json without internals.</summary>
public sealed class ProblemDetailsTests(ProbeAppFixture fixture) : IClassFixture<ProbeAppFixture>
{
    private ProbeApp App => fixture.App;

    [Fact]
    public async Task Unknown_path_is_404_problem()
    {
        using var client = App.CreateClient();
        using var response = await client.GetAsync("/api/nothing-here");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Wrong_method_is_405_problem()
    {
        using var client = App.CreateClient();
        using var response = await client.DeleteAsync("/probe/echo");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Missing_token_is_401_problem_with_challenge()
    {
        using var client = App.CreateClient();
        using var response = await client.GetAsync("/probe/secure");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Signed_in_user_on_admin_route_is_403_problem()
    {
        using var client = App.CreateClient(App.Tokens.Create(7));
        using var response = await client.GetAsync("/probe/admin");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Body_over_one_mebibyte_is_413_problem()
    {
        using var client = App.CreateClient();
        var big = "{\"name\":\"" + new string('a', (1024 * 1024) + 10) + "\"}";
        using var content = new StringContent(big, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/probe/echo", content);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Wrong_content_type_is_415_problem()
    {
        using var client = App.CreateClient();
        using var content = new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync("/probe/echo", content);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=no-such-charset")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=utf8")] // not a registered name: the framework cannot read it either
    public async Task A_charset_other_than_utf8_is_415_problem(string contentType)
    {
        using var client = App.CreateClient();
        using var content = new ByteArrayContent("{\"name\":\"ok\"}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await client.PostAsync("/probe/echo", content);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json;charset=Utf-8")]
    public async Task Utf8_in_any_case_is_accepted(string contentType)
    {
        using var client = App.CreateClient();
        using var content = new ByteArrayContent("{\"name\":\"ok\"}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await client.PostAsync("/probe/echo", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // an encoded surrogate: not UTF-8
    public async Task Invalid_utf8_in_a_string_is_400_problem(byte[] bad)
    {
        using var client = App.CreateClient();
        using var content = new ByteArrayContent([.. "{\"name\":\"a"u8, .. bad, .. "\"}"u8]);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var response = await client.PostAsync("/probe/echo", content);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{\"name\": \"x\",")]
    [InlineData("not json at all")]
    [InlineData("")]
    public async Task Malformed_json_is_400_problem(string body)
    {
        using var client = App.CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/probe/echo", content);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"7\"")] // a number sent as a string is a wrong type too: JSON is read strictly
    [InlineData("true")]
    [InlineData("7.5")]
    public async Task Wrong_json_type_names_the_field(string age)
    {
        using var client = App.CreateClient();
        using var content = new StringContent("{\"name\":\"ok\",\"age\":" + age + "}", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/probe/echo", content);
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("age", out _));
    }

    [Theory]
    [InlineData("/probe/pages?limit=abc")]
    [InlineData("/probe/pages?limit=99999999999999999999")]
    public async Task Query_value_of_the_wrong_type_names_the_field(string url)
    {
        using var client = App.CreateClient();
        using var response = await client.GetAsync(url);
        await ProblemAssert.HasFieldErrorAsync(response, "limit");
        Assert.DoesNotContain("abc", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_errors_are_field_level_in_camel_case()
    {
        using var client = App.CreateClient();
        using var response = await client.PostAsJsonAsync("/probe/echo", new { name = "", age = 200, unknownField = 1 });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("age", out _));
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        using var client = App.CreateClient();
        using var response = await client.PostAsJsonAsync("/probe/echo", new { name = "ok", age = 3, extra = new { nested = true } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task Server_failure_is_500_problem_without_exception_text_in_any_environment(string environment)
    {
        await using var app = environment == "Production" ? null : await ProbeApp.StartAsync(environment);
        using var client = (app ?? App).CreateClient();
        using var response = await client.GetAsync("/probe/boom");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), text, StringComparison.Ordinal);
    }
}
