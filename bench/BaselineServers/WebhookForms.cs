using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.Bench.Baselines;

/// <summary>Checks a Twilio-signed form the way the server does, against the URL it was posted to.</summary>
public static class WebhookForms
{
    public const string EmptyTwiml = """<?xml version="1.0" encoding="UTF-8"?><Response></Response>""";

    public static async Task<IFormCollection?> ReadSignedAsync(HttpContext context, ProviderSettings settings, string? publicBase = null)
    {
        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return null;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        var origin = string.IsNullOrEmpty(publicBase) ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}" : publicBase.TrimEnd('/');
        var url = origin + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        var fields = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? "")));
        var valid = TwilioSigner.IsValid(settings.AuthToken, url, fields, request.Headers[TwilioSigner.HeaderName].ToString())
            && string.Equals(form["AccountSid"].ToString(), settings.AccountSid, StringComparison.Ordinal);
        return valid ? form : null;
    }

    public static IResult Twiml() => Results.Text(EmptyTwiml, "text/xml");
}
