using Microsoft.Extensions.Options;

namespace MessagingServer.Twilio;

/// <summary>
/// Reads at most <see cref="TwilioOptions.MaxResponseBytes"/> of any answer on the <c>twilio</c> HttpClient: one
/// that says it is longer is refused unread, and one that turns out longer (chunked, or lying) is cut off while
/// buffering. Either way the call fails with an <see cref="HttpRequestException"/>
/// (<see cref="HttpRequestError.ConfigurationLimitExceeded"/>), which the SDK reports as a connection error, so a
/// send's outcome is unknown and looked up later, never resent. A 50 MB answer was read whole before.
/// </summary>
internal sealed class TwilioResponseSizeLimit(IOptions<TwilioOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxResponseBytes;
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.Content.Headers.ContentLength > limit)
            {
                throw new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, "Content-Length over the limit");
            }

            await response.Content.LoadIntoBufferAsync(limit, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            response.Dispose();
            throw TooLarge(limit, e);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static HttpRequestException TooLarge(int limit, Exception? inner) => new(
        HttpRequestError.ConfigurationLimitExceeded,
        $"Twilio's answer is over Twilio:MaxResponseBytes ({limit} bytes); it was not read",
        inner);
}
