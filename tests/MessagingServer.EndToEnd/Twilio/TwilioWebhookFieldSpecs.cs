using System.Net;
using System.Text.Json;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Twilio;

/// <summary>
/// A signed inbound SMS whose fields Twilio would never send (issue 14 item 11): a clear 400, nothing passed on.
/// Shares <see cref="TwilioWebhookServer"/> with <see cref="TwilioWebhookSpecs"/>.
/// </summary>
public sealed class TwilioWebhookFieldSpecs(TwilioWebhookServer fixture) : IClassFixture<TwilioWebhookServer>
{
    private const string OurNumber = "+15550002222";

    private FakeTwilio Twilio => fixture.Twilio;

    [Theory]
    [InlineData("From", "javascript:alert(1)", "invalid_field")]
    [InlineData("From", "whatsapp:+15550001111", "invalid_field")]
    [InlineData("MessageSid", "SM<x>", "invalid_field")]
    [InlineData("MediaUrl0", "javascript:alert(1)", "invalid_field")]
    [InlineData("Body", "long", "body_too_long")]
    [InlineData("MessageSid", "long", "invalid_field")]
    public async Task A_signed_inbound_sms_with_a_field_twilio_never_sends_is_a_bad_request_and_passed_on_nowhere(string field, string value, string code)
    {
        var from = TwilioWebhookServer.UniqueNumber();
        var replaced = value == "long" ? (field == "Body" ? new string('b', 1601) : "SM" + new string('a', 10_000)) : value;
        var form = FakeTwilio.InboundForm(Twilio.AccountSid, from, OurNumber, "hi", ["https://api.twilio.test/Media/ME1"])
            .Select(f => f.Key == field ? new KeyValuePair<string, string>(field, replaced) : f).ToList();

        using var response = await Twilio.PostSignedAsync(fixture.SmsUrl, form);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Empty(fixture.Ingress.InboundFrom(from));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
    }
}
