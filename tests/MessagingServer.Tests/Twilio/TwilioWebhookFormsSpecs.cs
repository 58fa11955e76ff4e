using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Twilio;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MessagingServer.Tests.Twilio;

public sealed class TwilioWebhookFormsSpecs
{
    private const string Sid = "SM0123456789abcdef0123456789abcdef";
    private const string Sid9 = "SM99999999999999999999999999999999";

    private static FormCollection Form(params (string Key, string Value)[] fields) =>
        new(fields.ToDictionary(f => f.Key, f => new StringValues(f.Value)));

    private static QueryCollection Query(params (string Key, string Value)[] fields) =>
        new(fields.ToDictionary(f => f.Key, f => new StringValues(f.Value)));

    [Fact]
    public void An_inbound_sms_is_read_with_its_media_in_order()
    {
        var form = Form(("From", "+15550001111"), ("To", "+15550002222"), ("Body", "hello"), ("MessageSid", Sid),
            ("NumMedia", "2"), ("MediaUrl0", "https://media.test/0"), ("MediaUrl1", "https://media.test/1"));

        var sms = TwilioWebhookForms.ReadInbound(form, "corr").Value;

        Assert.NotNull(sms);
        Assert.Equal(("+15550001111", "+15550002222", "hello", Sid, "corr"), (sms.From, sms.To, sms.Body, sms.ProviderSid, sms.CorrelationId));
        Assert.Equal(["https://media.test/0", "https://media.test/1"], sms.Media);
    }

    [Fact]
    public void Media_are_bounded_and_follow_num_media()
    {
        var fields = new List<(string, string)> { ("From", "+15550001111"), ("To", "+15550002222"), ("Body", ""), ("MessageSid", Sid), ("NumMedia", "50") };
        fields.AddRange(Enumerable.Range(0, 50).Select(i => ($"MediaUrl{i}", $"https://media.test/{i}")));

        var sms = TwilioWebhookForms.ReadInbound(Form([.. fields]), null).Value!;

        Assert.Equal(TwilioWebhookForms.MaxMedia, sms.Media.Count);
        Assert.Equal("https://media.test/9", sms.Media[^1]);
        Assert.Equal("", sms.Body);
    }

    [Fact]
    public void Media_links_beyond_num_media_are_ignored()
    {
        var form = Form(("From", "+15550001111"), ("To", "+15550002222"), ("Body", "x"), ("MessageSid", Sid), ("NumMedia", "0"), ("MediaUrl0", "https://media.test/0"));

        Assert.Empty(TwilioWebhookForms.ReadInbound(form, null).Value!.Media);
    }

    [Theory]
    [InlineData("From")]
    [InlineData("To")]
    [InlineData("MessageSid")]
    public void An_inbound_sms_without_a_required_field_is_a_problem(string missing)
    {
        var fields = new[] { ("From", "+15550001111"), ("To", "+15550002222"), ("Body", "x"), ("MessageSid", Sid) }.Where(f => f.Item1 != missing).ToArray();

        var parsed = TwilioWebhookForms.ReadInbound(Form(fields), null);

        Assert.Null(parsed.Value);
        Assert.Equal(ErrorCodes.MissingField, parsed.ProblemCode);
        Assert.Contains(missing, parsed.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_status_callback_is_routed_by_the_query_and_carries_the_error()
    {
        var parsed = TwilioWebhookForms.ReadStatus(
            Query(("u", "alice@example.com"), ("m", "msg-1")),
            Form(("MessageStatus", "undelivered"), ("MessageSid", Sid9), ("ErrorCode", "30003"), ("ErrorMessage", "Unreachable handset")),
            "corr");

        Assert.Equal(
            new StatusReport_("alice@example.com", "msg-1", MessageStatus.Undelivered, "30003", "Unreachable handset", Sid9),
            StatusReport_.From(parsed.Value!));
    }

    [Fact]
    public void A_status_error_without_a_message_gets_one()
    {
        var report = TwilioWebhookForms.ReadStatus(
            Query(("u", "alice"), ("m", "msg-1")), Form(("MessageStatus", "failed"), ("SmsSid", Sid9), ("ErrorCode", "30007")), null).Value!;

        Assert.Equal(MessageStatus.Failed, report.Status);
        Assert.Equal("30007", report.Error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(report.Error.Message));
        Assert.Equal(Sid9, report.ProviderSid);
    }

    [Theory]
    [InlineData("sending", MessageStatus.Sent)]
    [InlineData("delivered", MessageStatus.Delivered)]
    [InlineData("queued", MessageStatus.Queued)]
    public void Twilio_statuses_map_to_ours(string twilio, MessageStatus ours) =>
        Assert.Equal(ours, TwilioWebhookForms.ReadStatus(Query(("u", "alice"), ("m", "m1")), Form(("MessageStatus", twilio)), null).Value!.Status);

    [Fact]
    public void A_status_we_do_not_track_is_nothing_to_do()
    {
        var parsed = TwilioWebhookForms.ReadStatus(Query(("u", "alice"), ("m", "m1")), Form(("MessageStatus", "partially_delivered")), null);

        Assert.Null(parsed.Value);
        Assert.Null(parsed.ProblemCode);
    }

    [Theory]
    [InlineData(null, "m1", ErrorCodes.MissingField)]
    [InlineData("alice", null, ErrorCodes.MissingField)]
    [InlineData("not a user!", "m1", ErrorCodes.InvalidField)]
    public void A_status_callback_without_routing_is_a_problem(string? user, string? message, string code)
    {
        var query = new List<(string, string)>();
        if (user is not null)
        {
            query.Add(("u", user));
        }

        if (message is not null)
        {
            query.Add(("m", message));
        }

        var parsed = TwilioWebhookForms.ReadStatus(Query([.. query]), Form(("MessageStatus", "sent")), null);

        Assert.Equal(code, parsed.ProblemCode);
    }

    [Fact]
    public void A_status_callback_without_a_status_is_a_problem() =>
        Assert.Equal(ErrorCodes.MissingField, TwilioWebhookForms.ReadStatus(Query(("u", "alice"), ("m", "m1")), Form(("MessageSid", Sid)), null).ProblemCode);

    private sealed record StatusReport_(string UserId, string MessageId, MessageStatus Status, string? ErrorCode, string? ErrorMessage, string? ProviderSid)
    {
        public static StatusReport_ From(MessagingServer.Sms.StatusReport r) =>
            new(r.UserId, r.MessageId, r.Status, r.Error?.Code, r.Error?.Message, r.ProviderSid);
    }

    [Theory]
    [InlineData("From", "15550001111")]
    [InlineData("From", "+1555")]
    [InlineData("From", "+1555000111122223")]
    [InlineData("From", "+1555000111a")]
    [InlineData("From", "whatsapp:+15550001111")]
    [InlineData("From", "javascript:alert(1)")]
    [InlineData("From", "12")]
    [InlineData("From", "123456789")]
    [InlineData("To", "alice@example.com")]
    [InlineData("To", "+1 555 000 2222")]
    [InlineData("MessageSid", "S")]
    [InlineData("MessageSid", "SM 1")]
    [InlineData("MessageSid", "SM-0123")]
    [InlineData("MessageSid", "SM0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("MessageSid", "SMé1")]
    [InlineData("MediaUrl0", "javascript:alert(1)")]
    [InlineData("MediaUrl0", "http://media.test/0")]
    [InlineData("MediaUrl0", "data:image/png;base64,AAAA")]
    [InlineData("MediaUrl0", "/relative/0")]
    [InlineData("MediaUrl0", "https://user:secret@media.test/0")]
    public void An_inbound_sms_with_a_field_twilio_never_sends_is_an_invalid_field(string field, string value)
    {
        var fields = new Dictionary<string, string>
        {
            ["From"] = "+15550001111", ["To"] = "+15550002222", ["Body"] = "hi", ["MessageSid"] = Sid,
            ["NumMedia"] = "1", ["MediaUrl0"] = "https://media.test/0",
        };
        fields[field] = value;

        var parsed = TwilioWebhookForms.ReadInbound(Form([.. fields.Select(f => (f.Key, f.Value))]), null);

        Assert.Null(parsed.Value);
        Assert.Equal(ErrorCodes.InvalidField, parsed.ProblemCode);
        Assert.Contains(field, parsed.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_very_long_sid_or_media_link_is_refused()
    {
        var longSid = TwilioWebhookForms.ReadInbound(Form(("From", "+15550001111"), ("To", "+15550002222"), ("Body", "x"), ("MessageSid", "SM" + new string('a', 10_000))), null);
        var longUrl = TwilioWebhookForms.ReadInbound(Form(("From", "+15550001111"), ("To", "+15550002222"), ("Body", "x"), ("MessageSid", Sid),
            ("NumMedia", "1"), ("MediaUrl0", "https://media.test/" + new string('a', 3000))), null);

        Assert.Equal((ErrorCodes.InvalidField, ErrorCodes.InvalidField), (longSid.ProblemCode, longUrl.ProblemCode));
    }

    [Theory]
    [InlineData("+15550001111", "+15550002222")]
    [InlineData("12345", "+15550002222")]
    [InlineData("+15550001111", "898287")]
    public void Numbers_and_short_codes_are_accepted_as_addresses(string from, string to) =>
        Assert.NotNull(TwilioWebhookForms.ReadInbound(Form(("From", from), ("To", to), ("Body", "x"), ("MessageSid", Sid)), null).Value);

    [Fact]
    public void An_mms_sid_is_accepted() =>
        Assert.NotNull(TwilioWebhookForms.ReadInbound(Form(("From", "+15550001111"), ("To", "+15550002222"), ("Body", ""), ("MessageSid", "MM" + Sid[2..])), null).Value);

    [Fact]
    public void A_body_of_1600_characters_is_accepted_and_one_more_is_too_long()
    {
        TwilioWebhookParse<MessagingServer.Sms.InboundSms> Read(int length) => TwilioWebhookForms.ReadInbound(
            Form(("From", "+15550001111"), ("To", "+15550002222"), ("Body", new string('a', length)), ("MessageSid", Sid)), null);

        Assert.NotNull(Read(1600).Value);
        Assert.Equal(ErrorCodes.BodyTooLong, Read(1601).ProblemCode);
        Assert.Equal(ErrorCodes.BodyTooLong, Read(60_000).ProblemCode);
    }

    [Theory]
    [InlineData("S")]
    [InlineData("<script>")]
    public void A_status_callback_with_a_malformed_sid_is_an_invalid_field(string sid) =>
        Assert.Equal(ErrorCodes.InvalidField, TwilioWebhookForms.ReadStatus(
            Query(("u", "alice"), ("m", "m1")), Form(("MessageStatus", "sent"), ("MessageSid", sid)), null).ProblemCode);

    [Theory]
    [InlineData("SM1")]
    [InlineData("SMcrash0x1")]
    [InlineData("MM0123456789abcdef0123456789abcdef")]
    public void A_short_or_simulated_message_id_is_accepted_as_the_dedup_key_it_is(string sid) =>
        Assert.Equal(sid, TwilioWebhookForms.ReadInbound(Form(("From", "+15550001111"), ("To", "+15550002222"), ("Body", "hi"), ("MessageSid", sid)), null).Value!.ProviderSid);
}
