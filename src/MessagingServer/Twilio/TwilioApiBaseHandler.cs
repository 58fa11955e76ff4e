using Microsoft.Extensions.Options;

namespace MessagingServer.Twilio;

/// <summary>
/// The SDK has no base-URL setting: it always calls <c>https://{product}[.edge.region].twilio.com/...</c>. When
/// <see cref="TwilioOptions.ApiBaseUrl"/> points elsewhere (a fake Twilio on 127.0.0.1 in tests and the bench),
/// this handler on the <c>twilio</c> HttpClient sends every request for a <c>*.twilio.com</c> host there: scheme,
/// host and port are replaced, path and query are kept (and so is the Basic auth header). With the default
/// base, requests go to Twilio untouched.
/// </summary>
internal sealed class TwilioApiBaseHandler(IOptions<TwilioOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (options.Value.ApiBaseOverride is { } target
            && request.RequestUri is { } uri
            && uri.Host.EndsWith(".twilio.com", StringComparison.OrdinalIgnoreCase))
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
