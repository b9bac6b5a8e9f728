using System.Globalization;

namespace ScalableApi.AppHost;

/// <summary>
/// What the user asked for after <c>--</c>: the topology options and, optionally, the
/// <c>create-admin</c> command. Parsed by hand because the set is small and errors must be plain.
/// </summary>
internal sealed record AppHostOptions
{
    public const int DefaultReplicas = 2;
    public const int DefaultPort = 8080;

    /// <summary>Absolute folder for SQLite files and generated keys (default <c>./data</c> of the current directory).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Admin connection string of a PostgreSQL server; null means SQLite.</summary>
    public string? Postgres { get; init; }

    /// <summary><c>host:port</c> of an external Redis-protocol server; null means embedded Garnet.</summary>
    public string? Redis { get; init; }

    /// <summary>Replicas per service; each is its own process and its own gateway destination.</summary>
    public int Replicas { get; init; } = DefaultReplicas;

    /// <summary>Port of the gateway, the one front door (http://127.0.0.1:P).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Serve the gateway on https://127.0.0.1:P with a self-signed certificate made in the data directory.</summary>
    public bool Https { get; init; }

    /// <summary>Set when the first argument is <c>create-admin</c>.</summary>
    public CreateAdminRequest? CreateAdmin { get; init; }

    public bool ShowHelp { get; init; }

    public const string Usage = """
        Usage:
          dotnet run --project src/ScalableApi.AppHost [-- OPTIONS]
          dotnet run --project src/ScalableApi.AppHost -- create-admin --email E --password P [--name N] [OPTIONS]

        Options:
          --data-dir DIR         SQLite databases and signing keys (default: ./data)
          --postgres CONNSTRING  use PostgreSQL: one database per service (scalableapi_users|catalog|content),
                                 created if missing
          --redis HOST:PORT      use this Redis/Garnet instead of the embedded Garnet
          --replicas N           replicas per service, 1-32 (default 2), each its own gateway destination
          --port P               gateway port, 1-65535 (default 8080)
          --https                serve the gateway on https://127.0.0.1:P with a self-signed certificate
                                 made on first run in DIR/tls/ (trust DIR/tls/gateway-cert.pem)
          -h, --help             this text

        create-admin creates the user as admin (or promotes an existing one and sets the password) in the
        users service's database chosen by --data-dir/--postgres, then exits; nothing else is started.
        """;

    /// <summary>Parses <paramref name="args"/>; on failure returns null and an error message.</summary>
    public static AppHostOptions? Parse(IReadOnlyList<string> args, string currentDirectory, out string? error)
    {
        error = null;
        string? dataDir = null, postgres = null, redis = null, email = null, password = null, adminName = null;
        int replicas = DefaultReplicas, port = DefaultPort;
        var createAdmin = false;
        var help = false;
        var https = false;

        var i = 0;
        if (args.Count > 0 && args[0] == "create-admin")
        {
            createAdmin = true;
            i = 1;
        }

        for (; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                help = true;
                continue;
            }

            if (name == "--https" && !createAdmin)
            {
                https = true;
                continue;
            }

            // Accept both "--name value" and "--name=value".
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (name.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count && IsKnown(name, createAdmin))
            {
                value = args[++i];
            }

            if (!IsKnown(name, createAdmin))
            {
                error = $"unknown argument '{args[i]}'";
                return null;
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                error = $"{name} needs a value";
                return null;
            }

            switch (name)
            {
                case "--data-dir": dataDir = value; break;
                case "--postgres": postgres = value; break;
                case "--redis": redis = value; break;
                case "--email": email = value; break;
                case "--password": password = value; break;
                case "--name": adminName = value; break;
                case "--replicas":
                    if (!TryParseInRange(value, 1, 32, out replicas))
                    {
                        error = $"--replicas must be an integer from 1 to 32, got '{value}'";
                        return null;
                    }

                    break;
                case "--port":
                    if (!TryParseInRange(value, 1, 65535, out port))
                    {
                        error = $"--port must be an integer from 1 to 65535, got '{value}'";
                        return null;
                    }

                    break;
            }
        }

        if (redis is not null && !IsHostPort(redis))
        {
            error = $"--redis must be HOST:PORT, got '{redis}'";
            return null;
        }

        if (postgres is not null && !PostgresDatabases.IsValidConnectionString(postgres, out var postgresError))
        {
            error = $"--postgres: {postgresError}";
            return null;
        }

        CreateAdminRequest? admin = null;
        if (createAdmin && !help)
        {
            if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            {
                error = "create-admin needs --email E and --password P";
                return null;
            }

            admin = new CreateAdminRequest(email, password, adminName);
        }

        return new AppHostOptions
        {
            DataDirectory = Path.GetFullPath(dataDir ?? "data", currentDirectory),
            Postgres = postgres,
            Redis = redis,
            Replicas = replicas,
            Port = port,
            Https = https,
            CreateAdmin = admin,
            ShowHelp = help,
        };
    }

    private static bool IsKnown(string name, bool createAdmin) => name switch
    {
        "--data-dir" or "--postgres" or "--redis" or "--replicas" or "--port" => true,
        "--email" or "--password" or "--name" => createAdmin,
        _ => false,
    };

    private static bool TryParseInRange(string value, int min, int max, out int result) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;

    private static bool IsHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0
            && TryParseInRange(value[(colon + 1)..], 1, 65535, out _)
            && Uri.CheckHostName(value[..colon].Trim('[', ']')) != UriHostNameType.Unknown;
    }
}

/// <summary>The arguments of <c>create-admin</c>.</summary>
internal sealed record CreateAdminRequest(string Email, string Password, string? Name)
{
    // Keep the password out of logs and exception messages.
    public override string ToString() => $"CreateAdminRequest {{ Email = {Email} }}";
}
