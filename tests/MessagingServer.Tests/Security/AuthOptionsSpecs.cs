using MessagingServer.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MessagingServer.Tests.Security;

public sealed class AuthOptionsSpecs
{
    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "MessagingServer";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static AuthOptions Resolve(string environment, params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        using var provider = new ServiceCollection()
            .AddMessagingAuthOptions(configuration, new Environment(environment))
            .BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AuthOptions>>().Value;
    }

    [Fact]
    public void Development_without_a_key_uses_the_development_key()
    {
        var options = Resolve(Environments.Development);

        Assert.Equal(DevelopmentSigningKey.Value, options.SigningKey);
        Assert.True(options.UsesDevelopmentKey);
    }

    [Fact]
    public void A_configured_key_wins_in_development_too()
    {
        var key = new string('k', 40);

        var options = Resolve(Environments.Development, ("Auth:SigningKey", key));

        Assert.Equal(key, options.SigningKey);
        Assert.False(options.UsesDevelopmentKey);
    }

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("   ", "is not set")]
    [InlineData("thirty-one-bytes-is-not-enough!", "is 31 bytes long")]
    [InlineData(DevelopmentSigningKey.Value, "published Development key")]
    public void Outside_development_a_missing_short_or_published_key_is_refused_with_a_reason(string? key, string reason)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(Environments.Production, ("Auth:SigningKey", key)));

        Assert.Contains(failure.Failures, f => f.Contains("Auth:SigningKey", StringComparison.Ordinal) && f.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void The_key_length_counts_utf8_bytes_not_characters()
    {
        var sixteenCharsThirtyTwoBytes = new string('é', 16);

        var options = Resolve(Environments.Production, ("Auth:SigningKey", sixteenCharsThirtyTwoBytes));

        Assert.Equal(sixteenCharsThirtyTwoBytes, options.SigningKey);
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = Resolve(Environments.Production, ("Auth:SigningKey", new string('k', 32)));

        Assert.Equal("messaging-server", options.Issuer);
        Assert.Equal("messaging-server", options.Audience);
        Assert.Empty(options.AllowedOrigins);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ClockSkew);
    }

    [Fact]
    public void An_allowed_origin_with_a_path_is_refused()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(
            Environments.Production,
            ("Auth:SigningKey", new string('k', 32)),
            ("Auth:AllowedOrigins:0", "https://app.example.com/console")));

        Assert.Contains(failure.Failures, f => f.Contains("AllowedOrigins", StringComparison.Ordinal));
    }
}
