using Yarp.ReverseProxy.Health;

namespace ScalableApi.Gateway.Health;

/// <summary>
/// Start-up checks of <c>Gateway:PassiveHealth:TransportFailureRate</c>, bound to YARP's own options class (which
/// carries no annotations): an empty window counts nothing, and a rate limit above 1 never ejects anyone.
/// </summary>
internal sealed class TransportFailureRateValidator : IValidateOptions<TransportFailureRateHealthPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, TransportFailureRateHealthPolicyOptions options)
    {
        var failures = new List<string>();
        if (options.DetectionWindowSize <= TimeSpan.Zero || options.DetectionWindowSize > TimeSpan.FromDays(1))
        {
            failures.Add(Failure(nameof(options.DetectionWindowSize), options.DetectionWindowSize, "must be from 1 ms to 1 day"));
        }

        if (options.MinimalTotalCountThreshold < 0)
        {
            failures.Add(Failure(nameof(options.MinimalTotalCountThreshold), options.MinimalTotalCountThreshold, "must be 0 or more requests"));
        }

        if (!(options.DefaultFailureRateLimit is > 0 and <= 1))
        {
            failures.Add(Failure(nameof(options.DefaultFailureRateLimit), options.DefaultFailureRateLimit, "must be a rate above 0 and at most 1 (0.3 = 30 %)"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Failure(string member, object value, string problem) =>
        ValidatedOptions.Failure($"{PassiveHealthOptions.TransportFailureRateSection}:{member}", value, problem);
}
