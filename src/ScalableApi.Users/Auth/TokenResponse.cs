namespace ScalableApi.Users.Auth;

/// <summary>The body of login and refresh: <c>expiresIn</c> is the access token's lifetime in seconds.</summary>
internal sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn, string RefreshToken);
