using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MessagingServer.Security;

/// <summary>
/// JwtBearer set up from <see cref="AuthOptions"/>: HS256 only (so <c>alg: none</c> and every other
/// algorithm fail), signature, issuer, audience and lifetime checked, <c>exp</c> required, <c>sub</c> kept
/// as is and used as the name; an <c>exp</c> no date can hold is refused.
/// </summary>
internal sealed class JwtBearerOptionsSetup(IOptions<AuthOptions> auth) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == JwtBearerDefaults.AuthenticationScheme)
        {
            Configure(options);
        }
    }

    public void Configure(JwtBearerOptions options)
    {
        var settings = auth.Value;
        options.MapInboundClaims = false;
        options.SaveToken = false;
        options.TokenValidationParameters = ValidationParameters(settings);
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                context.Token ??= AccessTokenSources.FromQuery(context.Request);
                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                // IdentityModel clamps an exp past year 9999 to DateTime.MaxValue and accepts it; the expiry watch
                // could not hold it, so such a token is refused (401) here, before any upgrade.
                if (TokenExpiry.Of(context.Principal) is null)
                {
                    context.Fail("The token's exp is not a date the server can hold (after year 9999).");
                }

                return Task.CompletedTask;
            },
        };
    }

    internal static TokenValidationParameters ValidationParameters(AuthOptions settings) => new()
    {
        IssuerSigningKey = SigningKey(settings),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        ValidIssuer = settings.Issuer,
        ValidateIssuer = true,
        ValidAudience = settings.Audience,
        ValidateAudience = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = settings.ClockSkew,
        NameClaimType = JwtRegisteredClaimNames.Sub,
    };

    internal static SymmetricSecurityKey SigningKey(AuthOptions settings) =>
        new(Encoding.UTF8.GetBytes(settings.SigningKey ?? throw new InvalidOperationException("Auth:SigningKey is not configured")));
}
