using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace ScalableApi.Users.Keys;

/// <summary>
/// One ES256 key on disk: a JWK with its private part (<c>d</c>) plus <c>created</c> (unix ms), the moment
/// it becomes the active key (a next key is written ahead of it, so that it is published before it signs). The JWK form keeps the files readable by standard tooling.
/// </summary>
internal sealed class SigningKeyFile
{
    public const string Extension = ".json";

    [JsonPropertyName("kty")]
    public string Kty { get; set; } = "EC";

    [JsonPropertyName("crv")]
    public string Crv { get; set; } = "P-256";

    [JsonPropertyName("alg")]
    public string Alg { get; set; } = SecurityAlgorithms.EcdsaSha256;

    [JsonPropertyName("use")]
    public string Use { get; set; } = "sig";

    [JsonPropertyName("kid")]
    public string Kid { get; set; } = "";

    [JsonPropertyName("x")]
    public string X { get; set; } = "";

    [JsonPropertyName("y")]
    public string Y { get; set; } = "";

    [JsonPropertyName("d")]
    public string D { get; set; } = "";

    [JsonPropertyName("created")]
    public long Created { get; set; }

    /// <summary>A fresh P-256 key pair with a random key id.</summary>
    public static SigningKeyFile Generate(long createdAtMs)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return FromECDsa(ecdsa, Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12)), createdAtMs);
    }

    public static SigningKeyFile FromECDsa(ECDsa ecdsa, string kid, long createdAtMs)
    {
        var p = ecdsa.ExportParameters(includePrivateParameters: true);
        return new SigningKeyFile
        {
            Kid = kid,
            X = Base64Url.EncodeToString(p.Q.X),
            Y = Base64Url.EncodeToString(p.Q.Y),
            D = Base64Url.EncodeToString(p.D),
            Created = createdAtMs,
        };
    }

    /// <summary>The private key; owned by the caller.</summary>
    public ECDsa ToECDsa() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Base64Url.DecodeFromChars(X), Y = Base64Url.DecodeFromChars(Y) },
        D = Base64Url.DecodeFromChars(D),
    });

    /// <summary>Reads a key file; null when it is not a complete ES256 key (a foreign or damaged file is skipped, not fatal).</summary>
    public static SigningKeyFile? TryRead(string path)
    {
        try
        {
            var file = JsonSerializer.Deserialize<SigningKeyFile>(File.ReadAllBytes(path));
            if (file is null || file.Kty != "EC" || file.Crv != "P-256" || file.Kid.Length == 0 || file.D.Length == 0)
            {
                return null;
            }

            using var check = file.ToECDsa(); // Throws on a point that is not on the curve.
            return file;
        }
        catch (Exception ex) when (ex is IOException or JsonException or CryptographicException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the file atomically (temp file, then rename) so a replica reading the folder never sees half a key,
    /// readable by the owner only where the OS has Unix permissions.
    /// </summary>
    public void Save(string directory)
    {
        var final = Path.Combine(directory, Kid + Extension);
        var temp = Path.Combine(directory, $".{Kid}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, this);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, final, overwrite: false);
    }
}
