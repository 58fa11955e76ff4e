using System.Globalization;
using System.Security.Cryptography;
using MessagingServer.Hosting;
using MessagingServer.Twilio;

namespace MessagingServer.Commands;

/// <summary>
/// <c>simulate-sms --from +15550001111 --to +15550002222 --body "hi" [--url http://localhost:8080] [--media URL]...</c>:
/// posts an inbound-SMS webhook to a running server, signed the way Twilio signs it, and prints the answer.
/// It reads the same configuration as the server (appsettings, environment), so it signs with the same
/// auth token, for the same AccountSid and the same public URL (<c>Twilio:WebhookBaseUrl</c> when set).
/// </summary>
internal static class SimulateSmsCommand
{
    public const string Name = "simulate-sms";

    private const string Usage =
        "usage: simulate-sms --from +15550001111 --to +15550002222 --body \"hi\" [--url http://localhost:8080] [--media URL]...";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddTopLevelAppSettings(builder.Environment);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return await RunAsync(args, builder.Configuration, http, Console.Out, Console.Error, CancellationToken.None);
    }

    internal static async Task<int> RunAsync(
        IReadOnlyList<string> args, IConfiguration configuration, HttpClient http, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out var request, out var problem))
        {
            await error.WriteLineAsync(problem);
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var options = configuration.GetSection(TwilioOptions.Section).Get<TwilioOptions>() ?? new TwilioOptions();
        if (!options.IsConfigured || string.IsNullOrWhiteSpace(options.AuthToken))
        {
            await error.WriteLineAsync(
                "Twilio is not configured, so the server answers its webhooks with 404 and there is no auth token to sign with. " +
                "Set Twilio:AccountSid, Twilio:AuthToken and Twilio:From (e.g. the environment variables Twilio__AccountSid, " +
                "Twilio__AuthToken, Twilio__From) for both the server and this command.");
            return 2;
        }

        var target = new Uri(request.Url.TrimEnd('/') + TwilioWebhookEndpoints.SmsPath);
        var signedUrl = options.WebhookBase is { } webhookBase ? webhookBase + TwilioWebhookEndpoints.SmsPath : target.AbsoluteUri;
        var form = InboundForm(options.AccountSid!, request);
        using var message = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(form) };
        message.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(options.AuthToken, signedUrl, form));
        try
        {
            using var response = await http.SendAsync(message, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"POST {target} -> {(int)response.StatusCode} {response.ReasonPhrase}"));
            if (body.Length > 0)
            {
                await output.WriteLineAsync(body);
            }

            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"POST {target} failed: {e.Message} (is the server running?)");
            return 1;
        }
    }

    /// <summary>The fields Twilio posts for an inbound SMS (the ones the server reads, and a few more for realism).</summary>
    internal static List<KeyValuePair<string, string>> InboundForm(string accountSid, SimulatedSms sms)
    {
        var sid = "SM" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        var form = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", accountSid),
            new("ApiVersion", "2010-04-01"),
            new("MessageSid", sid),
            new("SmsMessageSid", sid),
            new("SmsSid", sid),
            new("SmsStatus", "received"),
            new("From", sms.From),
            new("To", sms.To),
            new("Body", sms.Body),
            new("NumSegments", "1"),
            new("NumMedia", sms.Media.Count.ToString(CultureInfo.InvariantCulture)),
        };
        for (var i = 0; i < sms.Media.Count; i++)
        {
            form.Add(new(string.Create(CultureInfo.InvariantCulture, $"MediaUrl{i}"), sms.Media[i]));
        }

        return form;
    }

    internal static bool TryParse(IReadOnlyList<string> args, out SimulatedSms request, out string problem)
    {
        string? from = null, to = null, body = null;
        var url = MessagingServerApp.DefaultUrl;
        var media = new List<string>();
        request = null!;
        problem = "";
        for (var i = args.Count > 0 && args[0] == Name ? 1 : 0; i < args.Count; i++)
        {
            var option = args[i];
            if (i + 1 >= args.Count)
            {
                problem = $"{option} needs a value";
                return false;
            }

            var value = args[++i];
            switch (option)
            {
                case "--from": from = value; break;
                case "--to": to = value; break;
                case "--body": body = value; break;
                case "--url": url = value; break;
                case "--media": media.Add(value); break;
                default:
                    problem = $"unknown option {option}";
                    return false;
            }
        }

        if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
        {
            problem = "--from and --to are required";
            return false;
        }

        if (body is null && media.Count == 0)
        {
            problem = "--body (or at least one --media) is required";
            return false;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            problem = $"--url {url} is not an absolute URL";
            return false;
        }

        request = new SimulatedSms(from, to, body ?? "", media, url);
        return true;
    }

    internal sealed record SimulatedSms(string From, string To, string Body, IReadOnlyList<string> Media, string Url);
}
