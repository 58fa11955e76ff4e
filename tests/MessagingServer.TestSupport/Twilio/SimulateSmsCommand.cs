using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MessagingServer.TestSupport.Twilio;

/// <summary>
/// <c>simulate-sms --from +15550001111 --to +15550002222 --body "hi" [--url http://localhost:8080] [--media URL]...</c>
/// (run by bench/FakeTwilio): posts an inbound-SMS webhook to a running server, signed the way Twilio signs it,
/// and prints the answer. It reads the server's own <c>Twilio</c> settings (e.g. <c>Twilio__AccountSid</c>,
/// <c>Twilio__AuthToken</c>, <c>Twilio__WebhookBaseUrl</c>), so it signs with the same auth token, for the same
/// account and the same public URL.
/// </summary>
public static class SimulateSmsCommand
{
    public const string Name = "simulate-sms";

    public const string DefaultUrl = "http://localhost:8080";

    private const string SmsPath = "/twilio/sms";

    private const string Usage =
        "usage: simulate-sms --from +15550001111 --to +15550002222 --body \"hi\" [--url http://localhost:8080] [--media URL]...";

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, IConfiguration configuration, HttpClient http, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(args, out var request, out var problem))
        {
            await error.WriteLineAsync(problem);
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var accountSid = configuration["Twilio:AccountSid"];
        var authToken = configuration["Twilio:AuthToken"];
        if (string.IsNullOrWhiteSpace(accountSid) || string.IsNullOrWhiteSpace(authToken))
        {
            await error.WriteLineAsync(
                "Twilio is not configured, so the server answers its webhooks with 404 and there is no auth token to sign with. " +
                "Set Twilio:AccountSid, Twilio:AuthToken and Twilio:From (e.g. the environment variables Twilio__AccountSid, " +
                "Twilio__AuthToken, Twilio__From) for both the server and this command.");
            return 2;
        }

        var target = new Uri(request.Url.TrimEnd('/') + SmsPath);
        var webhookBase = configuration["Twilio:WebhookBaseUrl"];
        var signedUrl = string.IsNullOrWhiteSpace(webhookBase) ? target.AbsoluteUri : webhookBase.TrimEnd('/') + SmsPath;
        var form = InboundForm(accountSid, request);
        using var message = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(form) };
        message.Headers.Add(TwilioSigner.HeaderName, TwilioSigner.Sign(authToken, signedUrl, form));
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

    /// <summary>The fields Twilio posts for an inbound SMS.</summary>
    public static List<KeyValuePair<string, string>> InboundForm(string accountSid, SimulatedSms sms)
    {
        ArgumentNullException.ThrowIfNull(sms);
        return TwilioWebhookForms.Inbound(accountSid, sms.From, sms.To, sms.Body, sms.Media);
    }

    public static bool TryParse(IReadOnlyList<string> args, out SimulatedSms request, out string problem)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? from = null, to = null, body = null;
        var url = DefaultUrl;
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

    public sealed record SimulatedSms(string From, string To, string Body, IReadOnlyList<string> Media, string Url);
}
