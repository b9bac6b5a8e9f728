namespace ScalableApi.Users;

/// <summary>
/// The surrogate keys of the users service's public reads (the gateway's edge cache drops a response when one of
/// its keys is purged), and the keys each write changes. One place, so a read and the writes that change it agree:
/// <list type="bullet">
/// <item><c>user:{id}</c>: a user's public profile (<c>GET /api/users/{id}</c>), the only public read here (the
/// list is admin-only, so private; the caller's own profile is signed in). Purged by whatever changes the row:
/// PATCH (themself or an admin, a role too), DELETE, a registration (SQLite may reuse a deleted id), create-admin.</item>
/// </list>
/// A user's posts and comments pages (<c>user:{id}:posts</c>, <c>user:{id}:comments</c>) are the content service's:
/// a deletion changes them only when its event has run there, and the content service purges them then.
/// </summary>
internal static class UsersEdgeKeys
{
    public static string User(long id) => string.Create(CultureInfo.InvariantCulture, $"user:{id}");
}
