using ScalableApi.Platform.Data;

namespace ScalableApi.Platform.Tests.Data;

public sealed class KeysetCursorTests
{
    [Theory]
    [InlineData(new long[] { 1 })]
    [InlineData(new long[] { long.MaxValue, -5 })]
    [InlineData(new long[] { 1_700_000_000_000, 42, 0 })]
    public void Round_trips_its_keys(long[] keys)
    {
        var cursor = KeysetCursor.Encode(keys);
        var decoded = new long[keys.Length];

        Assert.True(KeysetCursor.TryDecode(cursor, decoded));
        Assert.Equal(keys, decoded);
        Assert.DoesNotContain('+', cursor);
        Assert.DoesNotContain('/', cursor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("AQAAAAAAAAAB")] // one key, but two are expected below
    [InlineData("'; DROP TABLE products;--")]
    public void Rejects_what_it_did_not_make(string cursor) => Assert.False(KeysetCursor.TryDecode(cursor, new long[2]));

    [Fact]
    public void Page_request_reports_bad_limit_and_cursor_as_field_errors()
    {
        var errors = new PageRequest(0, "garbage").Validate(1, out _);

        Assert.NotNull(errors);
        Assert.Contains("limit", errors.Keys);
        Assert.Contains("cursor", errors.Keys);
        Assert.Null(new PageRequest(null, null).Validate(1, out _));
        Assert.Equal(PageRequest.DefaultLimit, new PageRequest(null, null).EffectiveLimit);
    }
}
