using System.Data.Common;
using ScalableApi.Contracts;
using ScalableApi.Platform.Messaging;
using ScalableApi.Users.Auth;

namespace ScalableApi.Users.Accounts;

/// <summary>The caller's profile, public user pages, and self-or-admin changes.</summary>
internal static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/profile", GetProfile).RequireAuthorization().WithTags("Users")
            .WithName("GetProfile").WithSummary("The signed-in user's own profile.");

        var api = app.MapGroup("/api/users").WithTags("Users");
        api.MapGet("/", ListUsers).RequireAuthorization(AuthorizationPolicies.Admin)
            .WithName("ListUsers").WithSummary("A page of users, newest first (admin).");
        // Surrogate keys: see UsersEdgeKeys. Every write names the one profile it changed.
        api.MapGet("/{id:long}", GetUser).AllowAnonymous().CachePublicly(c => UsersEdgeKeys.User(c.RouteId("id")))
            .WithName("GetUser").WithSummary("A user's public profile.");
        api.MapPatch("/{id:long}", UpdateUser).RequireAuthorization().Validate<UpdateUserRequest>()
            .PurgesEdgeKeys(c => UsersEdgeKeys.User(c.RouteId("id")))
            .Accepts<UpdateUserRequest>("application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("UpdateUser").WithSummary("Change a user (themself or an admin; only an admin changes a role).");
        api.MapDelete("/{id:long}", DeleteUser).RequireAuthorization()
            .PurgesEdgeKeys(c => UsersEdgeKeys.User(c.RouteId("id")))
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("DeleteUser").WithSummary("Delete a user (themself or an admin).");
        return app;
    }

    /// <summary>
    /// 401 also when the account was deleted after the token was issued: the token names nobody any more. Read at the
    /// request's consistency (a standby, unless its token is ahead of it); "no such user" is confirmed on the primary,
    /// since a standby may not have replayed a registration the caller's sign-in (a write without their token) followed.
    /// </summary>
    public static async Task<Results<Ok<UserResponse>, UnauthorizedHttpResult>> GetProfile(
        [AsParameters] UserServices services, CancellationToken cancellationToken)
    {
        if (services.User.GetUserId() is not { } id)
        {
            return TypedResults.Unauthorized();
        }

        var user = await services.Store.FindAsync(id, services.Http.ReadConsistency(), cancellationToken)
            ?? await services.Store.FindAsync(id, ReadConsistency.Latest, cancellationToken);
        return user is null ? TypedResults.Unauthorized() : TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<Ok<PublicUserResponse>, NotFound>> GetUser(
        long id, [AsParameters] UserServices services, CancellationToken cancellationToken) =>
        await services.Cache.GetPublicAsync(id, services.Http.ReadConsistency(), cancellationToken) is { } profile ? TypedResults.Ok(profile) : TypedResults.NotFound();

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, NotFound, ForbidHttpResult, ProblemHttpResult>> UpdateUser(
        long id, UpdateUserRequest request, PasswordService passwords, [AsParameters] UserServices services, CancellationToken cancellationToken)
    {
        if (!services.User.IsSelfOrAdmin(id) || (request.HasRole && !services.User.IsAdmin()))
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
            if (await services.Store.UpdateAsync(id, changes, cancellationToken) is not { } user)
            {
                return TypedResults.NotFound();
            }

            // Before the response: the next read of the profile, on any replica, sees the change.
            await services.Cache.ChangedAsync(id, user, cancellationToken);
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
        long id, Outbox outbox, [AsParameters] UserServices services, CancellationToken cancellationToken)
    {
        if (!services.User.IsSelfOrAdmin(id))
        {
            return TypedResults.Forbid();
        }

        if (!await services.Store.DeleteAsync(id, outbox, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        await services.Cache.ChangedAsync(id, null, cancellationToken);
        if (services.Http.RequestServices.GetService<TokenRevocations>() is { } revocations)
        {
            await RevokeAsync(revocations, id, services.Http.RequestServices);
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
        [AsParameters] PageRequest page, [AsParameters] UserServices services, CancellationToken cancellationToken)
    {
        if (page.TryGetKeyset(out var keyset) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: ProblemTitles.Validation);
        }

        var rows = await services.Store.ListAsync(keyset, cancellationToken);
        return TypedResults.Ok(keyset.ToPage(rows, u => u.Id, UserResponse.From));
    }
}

/// <summary>What every user handler takes (bound with <c>[AsParameters]</c>).</summary>
internal sealed record UserServices(UserStore Store, UserCache Cache, HttpContext Http) : IRequestServices;
