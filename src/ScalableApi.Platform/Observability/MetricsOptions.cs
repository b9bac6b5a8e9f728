using System.Net;

namespace ScalableApi.Platform.Observability;

/// <summary>Configuration section <c>Platform:Metrics</c>: where <c>/metrics</c> is served, and to whom.</summary>
public sealed class MetricsOptions : IValidatableObject
{
    public const string SectionName = "Platform:Metrics";

    /// <summary>
    /// 0 (default): <c>/metrics</c> on the main listener, for <see cref="AllowedNetworks"/> only. Above 0: the process
    /// also listens on this port (on the main listener's hosts), answers <c>/metrics</c> and <c>/health/*</c> there and
    /// nothing else, and <c>/metrics</c> is 404 on the main port.
    /// </summary>
    [Range(0, 65535, ErrorMessage = "must be 0 (the main listener) or a TCP port 1-65535")]
    public int Port { get; set; }

    /// <summary>
    /// CIDR networks whose clients may read <c>/metrics</c> on the main port (the address after the forwarded-headers
    /// middleware); others get 404. Default loopback only. Configuration lists replace the default.
    /// </summary>
    public IList<string> AllowedNetworks { get; set; } = [];

    internal static readonly string[] DefaultAllowedNetworks = ["127.0.0.0/8", "::1/128"];

    internal IReadOnlyList<IPNetwork> ParsedNetworks() =>
        (AllowedNetworks.Count == 0 ? DefaultAllowedNetworks : AllowedNetworks).Select(n => IPNetwork.Parse(n.Trim())).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < AllowedNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(AllowedNetworks[i]?.Trim() ?? "", out _))
            {
                yield return new ValidationResult(
                    $"'{AllowedNetworks[i]}' is not a CIDR network such as 10.0.0.0/8 or fd00::/8",
                    [string.Create(CultureInfo.InvariantCulture, $"{nameof(AllowedNetworks)}:{i}")]);
            }
        }
    }
}
