using System.Globalization;
using MessagingServer.Domain;
using MessagingServer.Hosting;
using MessagingServer.Security;
using Microsoft.Extensions.Options;

namespace MessagingServer.Commands;

/// <summary>
/// <c>token &lt;userId&gt; [--minutes N]</c>: prints an access token for the user, signed with the key the
/// server would use: the same configuration sources (appsettings, environment, user secrets in
/// Development, the remaining command-line arguments), so in Development the published Development key.
/// Only the token goes to stdout, so <c>TOKEN=$(... token alice)</c> works; notes go to stderr.
/// </summary>
internal static class TokenCommand
{
    public const string Name = "token";

    private const int MaxMinutes = 366 * 24 * 60;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || args[1].StartsWith('-'))
        {
            return await UsageAsync("a user id is required");
        }

        if (!UserId.TryParse(args[1], out var userId))
        {
            return await UsageAsync($"'{args[1]}' is not a valid user id (1-{UserId.MaxLength} letters, digits, '-', '_', '.', '@')");
        }

        var lifetime = TokenIssuer.DefaultLifetime;
        var configurationArgs = new List<string>();
        for (var i = 2; i < args.Length; i++)
        {
            if (args[i] == "--minutes")
            {
                if (i + 1 >= args.Length
                    || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
                    || minutes < 1 || minutes > MaxMinutes)
                {
                    return await UsageAsync($"--minutes takes a whole number from 1 to {MaxMinutes}");
                }

                lifetime = TimeSpan.FromMinutes(minutes);
                i++;
            }
            else
            {
                configurationArgs.Add(args[i]);
            }
        }

        // The server's own configuration sources, without building (or starting) the server.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configurationArgs.ToArray() });
        builder.Configuration.AddTopLevelAppSettings(builder.Environment);
        var services = new ServiceCollection().AddMessagingAuthOptions(builder.Configuration, builder.Environment);
        await using var provider = services.BuildServiceProvider();
        try
        {
            var options = provider.GetRequiredService<IOptions<AuthOptions>>().Value;
            var token = provider.GetRequiredService<TokenIssuer>().Issue(userId, lifetime);
            await Console.Out.WriteLineAsync(token);
            var expires = DateTimeOffset.UtcNow + lifetime;
            await Console.Error.WriteLineAsync(
                $"Token for {userId} ({builder.Environment.EnvironmentName}), valid until {expires:u}"
                + (options.UsesDevelopmentKey ? ", signed with the Development key." : "."));
            return 0;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                await Console.Error.WriteLineAsync($"Cannot mint a token: {failure}");
            }

            return 1;
        }
    }

    private static async Task<int> UsageAsync(string problem)
    {
        await Console.Error.WriteLineAsync($"token: {problem}");
        await Console.Error.WriteLineAsync("usage: token <userId> [--minutes N] [configuration arguments, e.g. --environment Production]");
        return 2;
    }
}
