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
        var errors = new PageRequest(0, "garbage").TryGetKeyset(out _);

        Assert.NotNull(errors);
        Assert.Contains("limit", errors.Keys);
        Assert.Contains("cursor", errors.Keys);
    }

    [Fact]
    public void No_limit_and_no_cursor_is_the_first_page_of_the_default_size()
    {
        Assert.Null(new PageRequest(null, "").TryGetKeyset(out var keyset));
        Assert.Equal(Keyset.First(), keyset);
        Assert.Equal(PageRequest.DefaultLimit + 1, keyset.Take);
    }

    [Fact]
    public void A_cursor_names_the_page_after_the_last_row_and_the_look_ahead_row_is_cut_off()
    {
        var first = Keyset.First(2).ToPage([9L, 8L, 7L], id => id);
        Assert.Equal([9L, 8L], first.Items);
        Assert.Null(new PageRequest(2, first.NextCursor).TryGetKeyset(out var next));
        Assert.Equal(new Keyset(8, 2), next);
        Assert.Null(next.ToPage([7L], id => id).NextCursor);
    }
}
