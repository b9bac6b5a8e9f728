using System.Data.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Hybrid;
using ScalableApi.Contracts;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Validation;
using ScalableApi.Users.Admins;
using ScalableApi.Users.Users;

namespace ScalableApi.Users.Auth;

/// <summary>Register, login and refresh: the only endpoints that deal with passwords and refresh tokens.</summary>
public static class AuthApi
{
    /// <summary>One title for every failed login, so the body does not tell an unknown e-mail from a wrong password.</summary>
    public const string InvalidCredentials = "The e-mail or password is not correct.";

    public const string InvalidRefreshToken = "The refresh token is not valid.";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous();
        api.MapPost("/register", Register).Validate<RegisterRequest>().WithName("Register");
        api.MapPost("/login", Login).Validate<LoginRequest>().WithName("Login");
        api.MapPost("/refresh", Refresh).Validate<RefreshRequest>().WithName("Refresh");
        return app;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request, UserRepository users, PasswordService passwords, AdminEmails admins, HybridCache cache, CancellationToken ct)
    {
        // The validator has accepted the fields; normalising cannot fail here.
        EmailAddress.TryNormalize(request.Email, out var email);
        var role = admins.Contains(email) ? Roles.Admin : Roles.User;
        var hash = passwords.Hash(request.Password!);
        try
        {
            var user = await users.InsertAsync(email, request.Name!.Trim(), request.Age, role, hash, ct);
            // SQLite reuses the id of a deleted last row, whose "not found" may still be cached.
            await UsersApi.UserChangedAsync(cache, user.Id, user, ct);
            return TypedResults.Created($"/api/users/{user.Id}", UserResponse.From(user));
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // The unique index decides, so concurrent registrations of one address get exactly one success.
            return EmailTaken();
        }
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, UserRepository users, PasswordService passwords, TokenService tokens, CancellationToken ct)
    {
        var user = EmailAddress.TryNormalize(request.Email, out var email) ? await users.FindByEmailAsync(email, ct) : null;
        if (user is null)
        {
            passwords.VerifyUnknownUser(request.Password!);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: InvalidCredentials);
        }

        if (!passwords.Verify(user.PasswordHash, request.Password!))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: InvalidCredentials);
        }

        return TypedResults.Ok(await tokens.IssueAsync(user, ct));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, TokenService tokens, CancellationToken ct)
    {
        var pair = await tokens.RefreshAsync(request.RefreshToken!, ct);
        return pair is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: InvalidRefreshToken)
            : TypedResults.Ok(pair);
    }

    internal static ProblemHttpResult EmailTaken() =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This e-mail address is already registered.");
}
