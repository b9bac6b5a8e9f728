using ScalableApi.Gateway.EdgeCache;

namespace ScalableApi.Gateway.Tests.EdgeCache;

/// <summary>
/// A surrogate key's slot is a fixed function of the key, not of the process: one gateway records the slots a user's
/// write purged in the shared store and another compares them with its own entries' slots (signed-in reads at the
/// edge). A per-process string hash (string.GetHashCode) gives each gateway different slots and the comparison
/// nothing; these values are what every gateway process computes.
/// </summary>
public sealed class EdgeCacheSlotTests
{
    [Theory]
    [InlineData("product:42", 6704)]
    [InlineData("*", 7997)]
    public void A_keys_slot_is_the_same_in_every_process(string key, int slot) =>
        Assert.Equal([slot], EdgeCacheStore.Slots(key));

    [Fact]
    public void A_response_naming_no_keys_is_in_the_slot_every_purge_reaches() =>
        Assert.Equal(EdgeCacheStore.Slots("*"), EdgeCacheStore.Slots(null));
}
