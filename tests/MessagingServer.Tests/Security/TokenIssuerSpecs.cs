using MessagingServer.Domain;
using MessagingServer.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MessagingServer.Tests.Security;

public sealed class TokenIssuerSpecs
{
    private readonly AuthOptions _options = new() { SigningKey = new string('k', 32), ClockSkew = TimeSpan.Zero };

    [Fact]
    public async Task An_issued_token_validates_with_the_servers_parameters_and_names_the_user()
    {
        var token = new TokenIssuer(Options.Create(_options), TimeProvider.System).Issue(UserId.Parse("alice"), TimeSpan.FromMinutes(5));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, JwtBearerOptionsSetup.ValidationParameters(_options));

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal("alice", jwt.Subject);
        Assert.Equal("messaging-server", jwt.Issuer);
        Assert.InRange(jwt.ValidTo, DateTime.UtcNow.AddMinutes(4), DateTime.UtcNow.AddMinutes(6));
    }

    [Fact]
    public async Task A_token_issued_in_the_past_is_expired()
    {
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        var token = new TokenIssuer(Options.Create(_options), past).Issue(UserId.Parse("alice"), TimeSpan.FromHours(1));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, JwtBearerOptionsSetup.ValidationParameters(_options));

        Assert.False(result.IsValid);
        Assert.IsType<Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException>(result.Exception);
    }
}
