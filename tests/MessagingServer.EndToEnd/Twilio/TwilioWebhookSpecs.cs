using System.Net;
using System.Text;
using System.Text.Json;
using MessagingServer.Domain.Messages;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sms;
using MessagingServer.Twilio;
using Microsoft.Extensions.Configuration;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Twilio;

public sealed class TwilioWebhookSpecs(TwilioWebhookServer fixture) : IClassFixture<TwilioWebhookServer>
{
    private const string OurNumber = "+15550002222";

    private FakeTwilio Twilio => fixture.Twilio;

    private RecordingSmsIngress Ingress => fixture.Ingress;

    [Fact]
    public async Task A_signed_inbound_sms_is_passed_on_exactly_and_answered_with_empty_twiml()
    {
        var from = TwilioWebhookServer.UniqueNumber();
        var sid = FakeTwilio.NewSid("SM");
        string[] media = ["https://api.twilio.test/Media/ME1", "https://api.twilio.test/Media/ME2"];

        using var response = await Twilio.PostInboundSmsAsync(fixture.SmsUrl, from, OurNumber, "Is my order ready? 📦", media, sid);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TwilioWebhookEndpoints.EmptyTwiml, await response.Content.ReadAsStringAsync());
        var sms = Assert.Single(Ingress.InboundFrom(from));
        Assert.Equal((from, OurNumber, "Is my order ready? 📦", sid), (sms.From, sms.To, sms.Body, sms.ProviderSid));
        Assert.Equal(media, sms.Media);
    }

    [Fact]
    public async Task An_unsigned_inbound_sms_is_forbidden_and_passed_on_nowhere()
    {
        var from = TwilioWebhookServer.UniqueNumber();
        using var content = new FormUrlEncodedContent(FakeTwilio.InboundForm(Twilio.AccountSid, from, OurNumber, "hi"));

        using var response = await Twilio.Http.PostAsync(fixture.SmsUrl, content);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, TwilioWebhookEndpoints.InvalidSignatureCode);
        Assert.Empty(Ingress.InboundFrom(from));
    }

    [Fact]
    public async Task An_inbound_sms_signed_with_another_token_is_forbidden()
    {
        var from = TwilioWebhookServer.UniqueNumber();

        using var response = await Twilio.PostSignedAsync(
            fixture.SmsUrl, FakeTwilio.InboundForm(Twilio.AccountSid, from, OurNumber, "hi"), authToken: "someone-elses-token");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, TwilioWebhookEndpoints.InvalidSignatureCode);
        Assert.Empty(Ingress.InboundFrom(from));
    }

    [Fact]
    public async Task An_inbound_sms_for_another_account_is_forbidden()
    {
        var from = TwilioWebhookServer.UniqueNumber();

        using var response = await Twilio.PostSignedAsync(
            fixture.SmsUrl, FakeTwilio.InboundForm(FakeTwilio.NewSid("AC"), from, OurNumber, "hi"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, TwilioWebhookEndpoints.WrongAccountCode);
        Assert.Empty(Ingress.InboundFrom(from));
    }

    [Fact]
    public async Task An_inbound_sms_with_a_tampered_field_is_forbidden()
    {
        var from = TwilioWebhookServer.UniqueNumber();
        var form = FakeTwilio.InboundForm(Twilio.AccountSid, from, OurNumber, "pay 10");
        var signature = TwilioSigner.Sign(Twilio.AuthToken, fixture.SmsUrl.AbsoluteUri, form);
        var tampered = form.Select(f => f.Key == "Body" ? new KeyValuePair<string, string>("Body", "pay 1000") : f).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.SmsUrl) { Content = new FormUrlEncodedContent(tampered) };
        request.Headers.Add(TwilioSigner.HeaderName, signature);

        using var response = await Twilio.Http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, TwilioWebhookEndpoints.InvalidSignatureCode);
        Assert.Empty(Ingress.InboundFrom(from));
    }

    [Fact]
    public async Task A_value_appended_under_a_signed_field_is_forbidden_and_passed_on_nowhere()
    {
        var from = TwilioWebhookServer.UniqueNumber();
        var form = FakeTwilio.InboundForm(Twilio.AccountSid, from, OurNumber, "pay 10");
        var signature = TwilioSigner.Sign(Twilio.AuthToken, fixture.SmsUrl.AbsoluteUri, form);
        List<KeyValuePair<string, string>> forged = [.. form, new("Body", "pay 1000"), new("body", "and more")];
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.SmsUrl) { Content = new FormUrlEncodedContent(forged) };
        request.Headers.Add(TwilioSigner.HeaderName, signature);

        using var response = await Twilio.Http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, TwilioWebhookEndpoints.InvalidSignatureCode);
        Assert.Empty(Ingress.InboundFrom(from));
    }

    [Fact]
    public async Task A_form_with_a_repeated_field_is_forbidden_even_when_every_value_is_signed()
    {
        var from = TwilioWebhookServer.UniqueNumber();
        List<KeyValuePair<string, string>> form = [.. FakeTwilio.InboundForm(Twilio.AccountSid, from, OurNumber, "hi"), new("To", "+15550009999")];

        using var response = await Twilio.PostSignedAsync(fixture.SmsUrl, form);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, TwilioWebhookEndpoints.InvalidSignatureCode);
        Assert.Empty(Ingress.InboundFrom(from));
    }

    [Fact]
    public async Task An_inbound_sms_signed_for_another_url_is_forbidden()
    {
        var from = TwilioWebhookServer.UniqueNumber();

        using var response = await Twilio.PostSignedAsync(
            fixture.SmsUrl, FakeTwilio.InboundForm(Twilio.AccountSid, from, OurNumber, "hi"), signedUrl: "https://elsewhere.test/twilio/sms");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, TwilioWebhookEndpoints.InvalidSignatureCode);
        Assert.Empty(Ingress.InboundFrom(from));
    }

    [Fact]
    public async Task An_inbound_sms_that_cannot_be_stored_is_answered_503_so_twilio_retries()
    {
        var from = TwilioWebhookServer.UniqueNumber();
        Ingress.Answer(from, IngressResult.Unavailable);

        using var response = await Twilio.PostInboundSmsAsync(fixture.SmsUrl, from, OurNumber, "hi");

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "unavailable");
    }

    [Fact]
    public async Task A_signed_inbound_sms_without_a_sender_is_a_bad_request()
    {
        var from = TwilioWebhookServer.UniqueNumber();
        var form = FakeTwilio.InboundForm(Twilio.AccountSid, from, OurNumber, "hi").Where(f => f.Key != "From").ToList();

        using var response = await Twilio.PostSignedAsync(fixture.SmsUrl, form);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "missing_field");
    }

    [Fact]
    public async Task An_oversized_form_is_refused_with_413()
    {
        var from = TwilioWebhookServer.UniqueNumber();

        using var response = await Twilio.PostInboundSmsAsync(fixture.SmsUrl, from, OurNumber, new string('x', 70_000));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, TwilioWebhookEndpoints.FormTooLargeCode);
        Assert.Empty(Ingress.InboundFrom(from));
    }

    [Fact]
    public async Task An_oversized_chunked_form_is_refused_with_413()
    {
        var from = TwilioWebhookServer.UniqueNumber();
        var form = FakeTwilio.InboundForm(Twilio.AccountSid, from, OurNumber, new string('x', 70_000));
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.SmsUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add(TwilioSigner.HeaderName, TwilioSigner.Sign(Twilio.AuthToken, fixture.SmsUrl.AbsoluteUri, form));

        using var response = await Twilio.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(Ingress.InboundFrom(from));
    }

    [Fact]
    public async Task A_webhook_that_is_not_a_form_is_refused_with_415()
    {
        using var content = new StringContent("""{"From":"+15550001111"}""", Encoding.UTF8, "application/json");

        using var response = await Twilio.Http.PostAsync(fixture.SmsUrl, content);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, TwilioWebhookEndpoints.UnsupportedMediaTypeCode);
    }

    [Fact]
    public async Task A_status_callback_reaches_the_user_and_message_named_in_its_url()
    {
        var messageId = "msg-" + Guid.NewGuid().ToString("N");
        var sid = FakeTwilio.NewSid("SM");

        using var response = await Twilio.PostStatusCallbackAsync(
            fixture.StatusUrl("alice@example.com", messageId).AbsoluteUri, sid, "undelivered", "30003", "Unreachable destination handset");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = Assert.Single(Ingress.StatusesOf(messageId));
        Assert.Equal(("alice@example.com", MessageStatus.Undelivered, sid), (report.UserId, report.Status, report.ProviderSid));
        Assert.Equal(new ProviderError("30003", "Unreachable destination handset"), report.Error);
    }

    [Fact]
    public async Task A_status_callback_that_cannot_be_stored_is_answered_503()
    {
        var messageId = "msg-" + Guid.NewGuid().ToString("N");
        Ingress.Answer(messageId, IngressResult.Unavailable);

        using var response = await Twilio.PostStatusCallbackAsync(fixture.StatusUrl("alice", messageId).AbsoluteUri, FakeTwilio.NewSid("SM"), "delivered");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task A_status_callback_for_an_unknown_message_is_answered_200()
    {
        var messageId = "msg-" + Guid.NewGuid().ToString("N");
        Ingress.Answer(messageId, IngressResult.Ignored);

        using var response = await Twilio.PostStatusCallbackAsync(fixture.StatusUrl("alice", messageId).AbsoluteUri, FakeTwilio.NewSid("SM"), "sent");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(Ingress.StatusesOf(messageId));
    }

    [Fact]
    public async Task A_status_we_do_not_track_is_answered_200_and_passed_on_nowhere()
    {
        var messageId = "msg-" + Guid.NewGuid().ToString("N");

        using var response = await Twilio.PostStatusCallbackAsync(fixture.StatusUrl("alice", messageId).AbsoluteUri, FakeTwilio.NewSid("SM"), "partially_delivered");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(Ingress.StatusesOf(messageId));
    }

    [Fact]
    public async Task An_unsigned_status_callback_is_forbidden()
    {
        var messageId = "msg-" + Guid.NewGuid().ToString("N");
        using var content = new FormUrlEncodedContent([new("AccountSid", Twilio.AccountSid), new("MessageStatus", "delivered")]);

        using var response = await Twilio.Http.PostAsync(fixture.StatusUrl("alice", messageId), content);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, TwilioWebhookEndpoints.InvalidSignatureCode);
        Assert.Empty(Ingress.StatusesOf(messageId));
    }

    [Fact]
    public async Task The_configured_server_sends_through_twilio()
    {
        var service = fixture.Server.Services.GetRequiredService<IClientMessagingService>();
        var body = "registered " + Guid.NewGuid().ToString("N");

        var outcome = await service.SendAsync(new OutboundSms("alice", "msg-1", "+15550001111", "+15550003333", body), CancellationToken.None);

        Assert.IsType<TwilioSmsService>(service);
        Assert.IsType<SendOutcome.Accepted>(outcome);
        var request = Assert.Single(Twilio.Requests, r => r.Form.GetValueOrDefault("Body") == body);
        Assert.Equal(Twilio.ApiKeySid, request.AuthUser);
    }

    [Fact]
    public async Task A_status_callback_asked_for_by_a_send_comes_back_to_its_user_and_message()
    {
        using var twilioSender = new TwilioSender(Twilio.Options(webhookBaseUrl: fixture.Server.BaseAddress.AbsoluteUri));
        var sender = twilioSender.Service;
        var sms = new OutboundSms("bob.smith", "msg-" + Guid.NewGuid().ToString("N"), "+15550001111", "+15550003333", "round trip");

        var accepted = Assert.IsType<SendOutcome.Accepted>(await sender.SendAsync(sms, CancellationToken.None));
        var callback = Assert.Single(Twilio.Requests, r => r.Form.GetValueOrDefault("StatusCallback")?.Contains(sms.MessageId, StringComparison.Ordinal) == true)
            .Form["StatusCallback"];
        using var response = await Twilio.PostStatusCallbackAsync(callback, accepted.ProviderSid, "delivered");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = Assert.Single(Ingress.StatusesOf(sms.MessageId));
        Assert.Equal(("bob.smith", MessageStatus.Delivered, accepted.ProviderSid, (ProviderError?)null), (report.UserId, report.Status, report.ProviderSid, report.Error));
    }

    [Fact]
    public async Task Simulate_sms_posts_a_webhook_the_server_accepts()
    {
        var from = TwilioWebhookServer.UniqueNumber();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Twilio.ServerSettings()).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await SimulateSmsCommand.RunAsync(
            ["simulate-sms", "--from", from, "--to", OurNumber, "--body", "typed by hand", "--url", fixture.Server.BaseAddress.AbsoluteUri, "--media", "https://m.test/a.jpg"],
            configuration, Twilio.Http, output, error, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Contains("-> 200", output.ToString(), StringComparison.Ordinal);
        var sms = Assert.Single(Ingress.InboundFrom(from));
        Assert.Equal(("typed by hand", OurNumber), (sms.Body, sms.To));
        Assert.Equal(["https://m.test/a.jpg"], sms.Media);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
    }
}
