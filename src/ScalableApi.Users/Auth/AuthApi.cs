using System.Data.Common;
using ScalableApi.Contracts;
using ScalableApi.Users.Accounts;
using ScalableApi.Users.Admins;

namespace ScalableApi.Users.Auth;

/// <summary>Register, login and refresh: the only endpoints that deal with passwords and refresh tokens.</summary>
internal static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous();
        // A new id had no cached profile (a 404 is never cached), but SQLite reuses a deleted last row's id.
        api.MapPost("/register", Register).Validate<RegisterRequest>()
            .PurgesEdgeKeys((_, result) => PublicCaching.ValueOf<UserResponse>(result) is { } user ? UsersEdgeKeys.User(user.Id) : string.Empty)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("Register").WithSummary("Create an account (never an admin unless listed in Users:AdminEmails).");
        api.MapPost("/login", Login).Validate<LoginRequest>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("Login").WithSummary("Exchange e-mail and password for an access token and a refresh token.");
        api.MapPost("/refresh", Refresh).Validate<RefreshRequest>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("Refresh").WithSummary("Spend a refresh token for a new pair; a reused one revokes its whole family.");
        return app;
    }

    /// <summary>One title for every failed login, so the body does not tell an unknown e-mail from a wrong password.</summary>
    public const string InvalidCredentials = "The e-mail or password is not correct.";

    public const string InvalidRefreshToken = "The refresh token is not valid.";

    public static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request, AdminEmails admins, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        // The validator has accepted the fields; normalising cannot fail here.
        EmailAddress.TryNormalize(request.Email, out var email);
        var role = admins.Contains(email) ? Roles.Admin : Roles.User;
        var hash = services.Passwords.Hash(request.Password!);
        try
        {
            var user = await services.Users.InsertAsync(email, request.Name!.Trim(), request.Age, role, hash, cancellationToken);
            // SQLite reuses the id of a deleted last row, whose "not found" may still be cached.
            await services.Cache.ChangedAsync(user.Id, user, cancellationToken);
            return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"/api/users/{user.Id}"), UserResponse.From(user));
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // The unique index decides, so concurrent registrations of one address get exactly one success.
            return EmailTaken();
        }
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var user = EmailAddress.TryNormalize(request.Email, out var email) ? await services.Users.FindByEmailAsync(email, cancellationToken) : null;
        if (user is null)
        {
            services.Passwords.VerifyUnknownUser(request.Password!);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: InvalidCredentials);
        }

        if (!services.Passwords.Verify(user.PasswordHash, request.Password!))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: InvalidCredentials);
        }

        return TypedResults.Ok(await services.Tokens.IssueAsync(user, cancellationToken));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var pair = await services.Tokens.RefreshAsync(request.RefreshToken!, cancellationToken);
        return pair is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: InvalidRefreshToken)
            : TypedResults.Ok(pair);
    }

    internal static ProblemHttpResult EmailTaken() =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This e-mail address is already registered.");
}

/// <summary>What every auth handler takes (bound with <c>[AsParameters]</c>).</summary>
internal sealed record AuthServices(UserStore Users, UserCache Cache, PasswordService Passwords, TokenService Tokens);
