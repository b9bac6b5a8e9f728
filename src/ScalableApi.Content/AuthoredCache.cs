using ScalableApi.Platform.Caching;

namespace ScalableApi.Content;

/// <summary>A cache of authored rows: a user's rows, newest first.</summary>
internal interface IAuthoredCache<T>
    where T : IAuthored
{
    /// <summary>A page of a user's rows with its look-ahead row.</summary>
    ValueTask<List<T>> ListByAuthorAsync(long userId, Keyset page, ReadConsistency consistency, CancellationToken cancellationToken);
}

/// <summary>What the post and comment caches share: a user's pages, keyed under the version of that user's rows.</summary>
internal static class AuthoredCache
{
    /// <summary>A page of a user's rows with its look-ahead row, under <paramref name="authorCollection"/>'s version.</summary>
    public static ValueTask<List<T>> ListByAuthorAsync<T>(
        this CollectionVersions versions, string authorCollection, IAuthoredStore<T> store, long userId, Keyset page, ReadConsistency consistency, CancellationToken cancellationToken)
        where T : IAuthored =>
        versions.GetOrCreateAsync(
            authorCollection,
            "page:" + page.CacheKey,
            (store, userId, page),
            static async (state, read, ct) => await state.store.ListByAuthorAsync(state.userId, state.page, read, ct),
            consistency,
            cancellationToken);
}
