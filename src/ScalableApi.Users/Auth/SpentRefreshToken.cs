namespace ScalableApi.Users.Auth;

/// <summary>The owner and family of a refresh token this request has just spent.</summary>
public sealed class SpentRefreshToken
{
    public long UserId { get; set; }

    public string FamilyId { get; set; } = "";
}
