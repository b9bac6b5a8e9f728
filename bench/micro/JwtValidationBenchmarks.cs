using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScalableApi.Bench.Micro;

/// <summary>
/// Validating a signed-in request's access token. The platform's way: an ES256 token as the users service issues
/// it (sub, role, name, iss, aud, one hour, kid), checked by the token handler and TokenValidationParameters that
/// <c>AddPlatform</c> gives JwtBearer, with the public key from <c>JwksSigningKeySource</c> (fed a JWKS document
/// from memory). Beside it, the seed's way as the baseline: HS256 with a shared secret and the post's claims
/// (<c>userId</c>, <c>role</c>, one hour), as jsonwebtoken's <c>jwt.verify</c> checks it (signature and expiry).
/// <c>Es256Platform</c> is a token seen for the first time (the signature checked); <c>Es256PlatformRemembered</c>
/// what every later request with the same token costs: the handler JwtBearer is given, answering from its cache
/// of validated tokens (SHA-256 of the token, expiry and key re-checked, a fresh identity).
/// </summary>
[MemoryDiagnoser]
public class JwtValidationBenchmarks
{
    private readonly JsonWebTokenHandler _firstSight = new() { MapInboundClaims = false };
    private TokenHandler _platformHandler = null!;
    private TokenValidationParameters _platformParameters = null!;
    private string _es256Token = "";

    private readonly JsonWebTokenHandler _seedHandler = new() { MapInboundClaims = false };
    private TokenValidationParameters _seedParameters = null!;
    private string _hs256Token = "";

    [GlobalSetup]
    public async Task Setup()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingKey = new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: true))) { KeyId = "bench-key-1" };
        var publicJwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(
            new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false))) { KeyId = signingKey.KeyId });
        var jwks = $$"""{"keys":[{"kty":"EC","use":"sig","alg":"ES256","crv":"P-256","kid":"{{publicJwk.Kid}}","x":"{{publicJwk.X}}","y":"{{publicJwk.Y}}"}]}""";

        var services = PlatformHost.Build(await PlatformHost.JwksFromMemoryAsync(jwks));
        var bearer = services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        _platformHandler = bearer.TokenHandlers.Single();
        _platformParameters = bearer.TokenValidationParameters;

        var now = DateTime.UtcNow;
        _es256Token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _platformParameters.ValidIssuer,
            Audience = _platformParameters.ValidAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Subject = new ClaimsIdentity([new Claim("sub", "4242"), new Claim("role", "user"), new Claim("name", "User 4242")]),
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.EcdsaSha256),
        });

        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("bench-secret-of-at-least-32-bytes!!"));
        _hs256Token = _seedHandler.CreateToken(new SecurityTokenDescriptor
        {
            IssuedAt = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["userId"] = 4242, ["role"] = "user" },
            SigningCredentials = new SigningCredentials(secret, SecurityAlgorithms.HmacSha256),
        });
        _seedParameters = new TokenValidationParameters
        {
            IssuerSigningKey = secret,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = true,
        };

        if (!(await Es256Platform()).IsValid || !(await Es256PlatformRemembered()).IsValid || !(await Hs256Seed()).IsValid)
        {
            throw new InvalidOperationException("A benchmark token does not validate: the benchmark would measure a failure path.");
        }
    }

    [Benchmark(Baseline = true)]
    public Task<TokenValidationResult> Hs256Seed() => _seedHandler.ValidateTokenAsync(_hs256Token, _seedParameters);

    [Benchmark]
    public Task<TokenValidationResult> Es256Platform() => _firstSight.ValidateTokenAsync(_es256Token, _platformParameters);

    [Benchmark]
    public Task<TokenValidationResult> Es256PlatformRemembered() => _platformHandler.ValidateTokenAsync(_es256Token, _platformParameters);
}
