using Microsoft.AspNetCore.Http;

namespace ScalableApi.Platform.Data;

/// <summary>How fresh a read must be: the one rule every service's read path and cache follow.</summary>
public enum ReadConsistency
{
    /// <summary>A standby may answer (and so may a cache filled from one): lag of milliseconds is fine.</summary>
    Any,

    /// <summary>The primary answers: the read sees every committed write, the caller's own included.</summary>
    Latest,
}

public static class ReadConsistencyExtensions
{
    /// <summary>
    /// Read-your-writes (SPEC §2): every write is signed, so a signed-in caller reads <see cref="ReadConsistency.Latest"/>
    /// (the primary, past the caches) and sees their own write at once; anonymous traffic, the bulk of the reads,
    /// reads <see cref="ReadConsistency.Any"/>.
    /// </summary>
    public static ReadConsistency ReadConsistency(this HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? Data.ReadConsistency.Latest : Data.ReadConsistency.Any;
}
