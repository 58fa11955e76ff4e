using System.Text;
using Microsoft.Extensions.Options;

namespace MessagingServer.Security;

/// <summary>Refuses to start with a missing, short or published signing key, and says how to fix it.</summary>
internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            failures.Add(
                $"Auth:SigningKey is not set. Outside Development the server needs a secret of at least {AuthOptions.MinimumKeyBytes} bytes "
                + "to sign and check access tokens: set the environment variable Auth__SigningKey (or Auth:SigningKey in configuration), "
                + "for example to the output of `openssl rand -base64 48`.");
        }
        else if (Encoding.UTF8.GetByteCount(options.SigningKey) < AuthOptions.MinimumKeyBytes)
        {
            failures.Add(
                $"Auth:SigningKey is {Encoding.UTF8.GetByteCount(options.SigningKey)} bytes long; at least {AuthOptions.MinimumKeyBytes} bytes (UTF-8) are required "
                + "for HS256. Use a random secret, for example the output of `openssl rand -base64 48`.");
        }
        else if (options.UsesDevelopmentKey && !environment.IsDevelopment())
        {
            failures.Add("Auth:SigningKey is the published Development key, which is refused outside Development: configure a secret of your own.");
        }

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add("Auth:Issuer must not be empty (default: messaging-server).");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Auth:Audience must not be empty (default: messaging-server).");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add("Auth:ClockSkew must be between 00:00:00 and 00:05:00.");
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (!OriginPolicy.TryNormalize(origin, out _))
            {
                failures.Add($"Auth:AllowedOrigins has '{origin}', which is not an origin: write scheme://host[:port], e.g. https://app.example.com.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
