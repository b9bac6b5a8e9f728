using System.Net;

namespace ScalableApi.Platform.Observability;

/// <summary>Configuration section <c>Platform:Metrics</c>: where <c>/metrics</c> is served, and to whom.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Platform:Metrics";

    /// <summary>
    /// 0 (default): <c>/metrics</c> on the main listener, for <see cref="AllowedNetworks"/> only. Above 0: the process
    /// also listens on this port (on the main listener's hosts), answers <c>/metrics</c> and <c>/health/*</c> there and
    /// nothing else, and <c>/metrics</c> is 404 on the main port.
    /// </summary>
    public int Port { get; set; }

    /// <summary>
    /// CIDR networks whose clients may read <c>/metrics</c> on the main port (the address after the forwarded-headers
    /// middleware); others get 404. Default loopback only. Configuration lists replace the default.
    /// </summary>
    public IList<string> AllowedNetworks { get; set; } = [];

    internal static readonly string[] DefaultAllowedNetworks = ["127.0.0.0/8", "::1/128"];

    internal IReadOnlyList<IPNetwork> ParsedNetworks() =>
        (AllowedNetworks.Count == 0 ? DefaultAllowedNetworks : AllowedNetworks).Select(n => IPNetwork.Parse(n.Trim())).ToList();
}

/// <summary>A bad port or network stops the process at start-up, naming the key.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"{MetricsOptions.SectionName}:Port must be 0 (the main listener) or a TCP port 1-65535; got {options.Port}.");
        }

        for (var i = 0; i < options.AllowedNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(options.AllowedNetworks[i]?.Trim() ?? "", out _))
            {
                failures.Add($"{MetricsOptions.SectionName}:AllowedNetworks:{i} must be a CIDR network such as 10.0.0.0/8 or fd00::/8; got '{options.AllowedNetworks[i]}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
