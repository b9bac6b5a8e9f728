using System.Buffers.Binary;
using System.Buffers.Text;

namespace ScalableApi.Platform.Data;

/// <summary>
/// Opaque keyset cursors: the sort keys of the last row of a page, packed as big-endian 64-bit
/// integers behind a version byte and base64url-encoded. Clients must not parse them; the format may change.
/// </summary>
public static class KeysetCursor
{
    private const byte Version = 1;
    private const int MaxKeys = 4;

    public static string Encode(params ReadOnlySpan<long> keys)
    {
        if (keys.Length is 0 or > MaxKeys)
        {
            throw new ArgumentOutOfRangeException(nameof(keys));
        }

        Span<byte> buffer = stackalloc byte[1 + (MaxKeys * sizeof(long))];
        buffer[0] = Version;
        for (var i = 0; i < keys.Length; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(buffer[(1 + (i * sizeof(long)))..], keys[i]);
        }

        return Base64Url.EncodeToString(buffer[..(1 + (keys.Length * sizeof(long)))]);
    }

    /// <summary>Decodes a cursor carrying exactly <paramref name="keys"/>.Length keys; false when it is not one of ours.</summary>
    public static bool TryDecode(string? cursor, Span<long> keys)
    {
        var expected = 1 + (keys.Length * sizeof(long));
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 64)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[64];
        var status = Base64Url.DecodeFromChars(cursor, buffer, out _, out var written);
        if (status != System.Buffers.OperationStatus.Done || written != expected || buffer[0] != Version)
        {
            return false;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = BinaryPrimitives.ReadInt64BigEndian(buffer[(1 + (i * sizeof(long)))..]);
        }

        return true;
    }
}
