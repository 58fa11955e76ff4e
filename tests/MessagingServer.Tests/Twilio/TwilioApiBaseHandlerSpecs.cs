using MessagingServer.Twilio;

namespace MessagingServer.Tests.Twilio;

public sealed class TwilioApiBaseHandlerSpecs
{
    private const string SdkUrl = "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json?PageSize=1";

    private static async Task<Uri?> SentTo(string apiBaseUrl, string url)
    {
        var recorder = new Recorder();
        using var handler = new TwilioApiBaseHandler(Microsoft.Extensions.Options.Options.Create(new TwilioOptions { ApiBaseUrl = apiBaseUrl })) { InnerHandler = recorder };
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "QUM6c2VjcmV0");
        using var response = await invoker.SendAsync(request, CancellationToken.None);
        Assert.Equal("QUM6c2VjcmV0", recorder.Authorization);
        return recorder.Uri;
    }

    [Fact]
    public async Task By_default_twilios_hosts_are_left_alone() =>
        Assert.Equal(new Uri(SdkUrl), await SentTo(TwilioOptions.DefaultApiBaseUrl, SdkUrl));

    [Fact]
    public async Task A_configured_base_takes_scheme_host_and_port_and_keeps_path_and_query() =>
        Assert.Equal(
            new Uri("http://127.0.0.1:5099/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json?PageSize=1"),
            await SentTo("http://127.0.0.1:5099/", SdkUrl));

    [Fact]
    public async Task Every_twilio_product_host_is_redirected() =>
        Assert.Equal(new Uri("http://127.0.0.1:5099/v1/Services"), await SentTo("http://127.0.0.1:5099", "https://messaging.dublin.ie1.twilio.com/v1/Services"));

    [Fact]
    public async Task A_host_outside_twilio_is_left_alone() =>
        Assert.Equal(new Uri("https://example.com/twilio.com/x"), await SentTo("http://127.0.0.1:5099", "https://example.com/twilio.com/x"));

    private sealed class Recorder : HttpMessageHandler
    {
        public Uri? Uri { get; private set; }

        public string? Authorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri = request.RequestUri;
            Authorization = request.Headers.Authorization?.Parameter;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.NoContent));
        }
    }
}
