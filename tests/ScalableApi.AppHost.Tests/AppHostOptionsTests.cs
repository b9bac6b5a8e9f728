namespace ScalableApi.AppHost.Tests;

/// <summary>What a user types after <c>--</c>: defaults that run the whole topology, and plain errors for mistakes.</summary>
public sealed class AppHostOptionsTests
{
    private const string Cwd = "/home/dev/project";

    [Fact]
    public void No_arguments_give_two_replicas_the_gateway_on_8080_sqlite_under_data_and_embedded_garnet()
    {
        var options = Parse();

        Assert.Equal(2, options.Replicas);
        Assert.Equal(8080, options.Port);
        Assert.Equal(Path.Combine(Cwd, "data"), options.DataDirectory);
        Assert.Null(options.Postgres);
        Assert.Null(options.Redis);
        Assert.Null(options.CreateAdmin);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var options = Parse("--replicas", "4", "--port", "9090", "--data-dir", "/tmp/sa", "--redis", "127.0.0.1:6380",
            "--postgres", "Host=127.0.0.1;Port=5432;Username=postgres");

        Assert.Equal(4, options.Replicas);
        Assert.Equal(9090, options.Port);
        Assert.Equal("/tmp/sa", options.DataDirectory);
        Assert.Equal("127.0.0.1:6380", options.Redis);
        Assert.Contains("Host=127.0.0.1", options.Postgres, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_data_dir_is_resolved_against_the_current_directory()
    {
        Assert.Equal(Path.Combine(Cwd, "mydata"), Parse("--data-dir", "mydata").DataDirectory);
    }

    [Fact]
    public void Create_admin_is_a_command_with_its_own_arguments()
    {
        var options = Parse("create-admin", "--email", "ops@example.com", "--password", "long-secret", "--data-dir", "/tmp/sa");

        Assert.NotNull(options.CreateAdmin);
        Assert.Equal("/tmp/sa", options.DataDirectory);
    }

    [Theory]
    [InlineData("--replicas", "0", "--replicas")]
    [InlineData("--replicas", "33", "--replicas")]
    [InlineData("--replicas", "two", "--replicas")]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--redis", "not-a-host-port", "--redis")]
    [InlineData("--bogus", "x", "unknown argument")]
    public void Mistakes_are_plain_errors_naming_the_option(string option, string value, string expected)
    {
        var options = AppHostOptions.Parse([option, value], Cwd, out var error);

        Assert.Null(options);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_admin_without_password_is_an_error()
    {
        Assert.Null(AppHostOptions.Parse(["create-admin", "--email", "ops@example.com"], Cwd, out var error));
        Assert.Contains("--password", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Https_is_a_flag_off_by_default()
    {
        Assert.False(Parse().Https);
        var options = Parse("--https", "--port", "8443");
        Assert.True(options.Https);
        Assert.Equal(8443, options.Port);
    }

    private static AppHostOptions Parse(params string[] args)
    {
        var options = AppHostOptions.Parse(args, Cwd, out var error);
        Assert.True(options is not null, error);
        return options!;
    }
}
