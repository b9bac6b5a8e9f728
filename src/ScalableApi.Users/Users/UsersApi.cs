using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Hybrid;
using ScalableApi.Contracts;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Messaging;
using ScalableApi.Platform.Security;
using ScalableApi.Platform.Validation;
using ScalableApi.Users.Auth;

namespace ScalableApi.Users.Users;

/// <summary>The caller's profile, public user pages, and self-or-admin changes.</summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/profile", GetProfile).RequireAuthorization().WithTags("Users").WithName("GetProfile");

        var api = app.MapGroup("/api/users").WithTags("Users");
        api.MapGet("/", ListUsers).RequireAuthorization(AuthorizationPolicies.Admin).WithName("ListUsers");
        api.MapGet("/{id:long}", GetUser).AllowAnonymous().WithName("GetUser");
        api.MapPatch("/{id:long}", UpdateUser).RequireAuthorization().Validate<UpdateUserRequest>()
            .Accepts<UpdateUserRequest>("application/json").WithName("UpdateUser");
        api.MapDelete("/{id:long}", DeleteUser).RequireAuthorization().WithName("DeleteUser");
        return app;
    }

    /// <summary>401 also when the account was deleted after the token was issued: the token names nobody any more.</summary>
    public static async Task<Results<Ok<UserResponse>, UnauthorizedHttpResult>> GetProfile(
        ClaimsPrincipal principal, UserRepository users, CancellationToken ct)
    {
        var user = principal.GetUserId() is { } id ? await users.FindAsync(id, ct) : null;
        return user is null ? TypedResults.Unauthorized() : TypedResults.Ok(UserResponse.From(user));
    }

    /// <summary>
    /// Public profiles through the cache (key <c>user:{id}</c>; no tag, which would cost a second lookup per hit):
    /// every write replaces the entry on every replica (<see cref="UserChangedAsync"/>).
    /// </summary>
    public static async Task<Results<Ok<PublicUserResponse>, NotFound>> GetUser(long id, UserRepository users, HybridCache cache, CancellationToken ct) =>
        await cache.GetOrCreateAsync(
            UserKey(id),
            (users, id),
            static async (state, token) => await state.users.FindPublicAsync(state.id, token) is { } user ? PublicUserResponse.From(user) : null,
            cancellationToken: ct) is { } profile
            ? TypedResults.Ok(profile)
            : TypedResults.NotFound();

    internal static string UserKey(long id) => string.Create(CultureInfo.InvariantCulture, $"user:{id}");

    /// <summary>
    /// After any write of a user (register, PATCH, DELETE, create-admin): the cached public profile is replaced, on
    /// every replica (Redis and the backplane), by what the primary now holds, or by "not found" (a tombstone).
    /// Replacing rather than evicting means the next read cannot refill the profile from a standby that has not
    /// replayed the write yet.
    /// </summary>
    public static ValueTask UserChangedAsync(HybridCache cache, long id, User? user, CancellationToken ct) =>
        cache.SetAsync(UserKey(id), user is null ? null : PublicUserResponse.From(user), cancellationToken: ct);

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, NotFound, ForbidHttpResult, ProblemHttpResult>> UpdateUser(
        long id, UpdateUserRequest request, ClaimsPrincipal principal, UserRepository users, PasswordService passwords, HybridCache cache, CancellationToken ct)
    {
        if (!principal.IsSelfOrAdmin(id) || (request.HasRole && !principal.IsAdmin()))
        {
            return TypedResults.Forbid();
        }

        string? email = null;
        if (request.HasEmail)
        {
            EmailAddress.TryNormalize(request.Email, out var normalized);
            email = normalized;
        }

        var changes = new UserChanges(
            email,
            request.HasName ? request.Name!.Trim() : null,
            request.HasAge,
            request.Age,
            request.HasRole ? request.Role : null,
            request.HasPassword ? passwords.Hash(request.Password!) : null);
        try
        {
            if (await users.UpdateAsync(id, changes, ct) is not { } user)
            {
                return TypedResults.NotFound();
            }

            // Before the response: the next read of the profile, on any replica, sees the change.
            await UserChangedAsync(cache, id, user, ct);
            return TypedResults.Ok(UserResponse.From(user));
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return AuthApi.EmailTaken();
        }
    }

    /// <summary>
    /// The user's posts and comments are removed by the content service on the <c>UserDeleted</c> event (outbox in the
    /// delete's transaction, relayed to the content queue). Before the 204 the user's tokens are revoked everywhere.
    /// </summary>
    public static async Task<Results<NoContent, NotFound, ForbidHttpResult>> DeleteUser(
        long id, ClaimsPrincipal principal, UserRepository users, Outbox outbox, HybridCache cache, IServiceProvider services, CancellationToken ct)
    {
        if (!principal.IsSelfOrAdmin(id))
        {
            return TypedResults.Forbid();
        }

        if (!await users.DeleteAsync(id, outbox, ct))
        {
            return TypedResults.NotFound();
        }

        await UserChangedAsync(cache, id, null, ct);
        if (services.GetService<TokenRevocations>() is { } revocations)
        {
            await RevokeAsync(revocations, id, services);
        }

        return TypedResults.NoContent();
    }

    /// <summary>
    /// A store outage must not undo a committed delete: the marker is then written by the content service when it
    /// handles the event (which needs the store back), and until then the users service itself refuses the token's
    /// profile (the user is gone).
    /// </summary>
    private static async Task RevokeAsync(TokenRevocations revocations, long id, IServiceProvider services)
    {
        try
        {
            await revocations.RevokeUserAsync(id);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UsersApi))
                .LogWarning(ex, "Could not write the revocation marker of deleted user {UserId}; the content service writes it with the event", id);
        }
    }

    public static async Task<Results<Ok<Page<UserResponse>>, ValidationProblem>> ListUsers(
        [AsParameters] PageRequest page, UserRepository users, CancellationToken ct)
    {
        if (page.Validate(1, out var keys) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var before = page.Cursor is null ? long.MaxValue : keys[0];
        var limit = page.EffectiveLimit;
        var rows = await users.ListAsync(before, limit, ct);
        var next = rows.Count > limit ? KeysetCursor.Encode(rows[limit - 1].Id) : null;
        return TypedResults.Ok(new Page<UserResponse>([.. rows.Take(limit).Select(UserResponse.From)], next));
    }
}
