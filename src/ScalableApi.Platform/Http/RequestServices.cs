using System.Security.Claims;
using ScalableApi.Platform.Data;

namespace ScalableApi.Platform.Http;

/// <summary>
/// A handler's services record (bound with <c>[AsParameters]</c>, as eShop's CatalogServices) that carries its request:
/// it gets <c>User</c> and <c>Consistency</c> from <see cref="RequestServices"/> instead of writing them again in every
/// feature.
/// </summary>
public interface IRequestServices
{
    HttpContext Http { get; }
}

/// <summary>What every <see cref="IRequestServices"/> reads from its request.</summary>
public static class RequestServices
{
    extension(IRequestServices services)
    {
        /// <summary>The caller (anonymous when the request carries no valid token).</summary>
        public ClaimsPrincipal User => services.Http.User;

        /// <summary>How fresh this request's reads must be: the platform's read-your-writes rule (its consistency token).</summary>
        public ReadConsistency Consistency => services.Http.ReadConsistency();
    }
}
