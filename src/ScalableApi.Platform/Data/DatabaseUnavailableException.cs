namespace ScalableApi.Platform.Data;

/// <summary>
/// The database cannot take this request for now (no primary among the hosts to write to): a 503 with
/// <c>Retry-After</c>, like any other unavailability <see cref="DbErrors.IsUnavailable"/> recognises.
/// </summary>
public sealed class DatabaseUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
