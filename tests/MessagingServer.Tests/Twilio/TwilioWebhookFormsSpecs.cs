using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Twilio;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MessagingServer.Tests.Twilio;

public sealed class TwilioWebhookFormsSpecs
{
    private static FormCollection Form(params (string Key, string Value)[] fields) =>
        new(fields.ToDictionary(f => f.Key, f => new StringValues(f.Value)));

    private static QueryCollection Query(params (string Key, string Value)[] fields) =>
        new(fields.ToDictionary(f => f.Key, f => new StringValues(f.Value)));

    [Fact]
    public void An_inbound_sms_is_read_with_its_media_in_order()
    {
        var form = Form(("From", "+15550001111"), ("To", "+15550002222"), ("Body", "hello"), ("MessageSid", "SM1"),
            ("NumMedia", "2"), ("MediaUrl0", "https://media.test/0"), ("MediaUrl1", "https://media.test/1"));

        var sms = TwilioWebhookForms.ReadInbound(form, "corr").Value;

        Assert.NotNull(sms);
        Assert.Equal(("+15550001111", "+15550002222", "hello", "SM1", "corr"), (sms.From, sms.To, sms.Body, sms.ProviderSid, sms.CorrelationId));
        Assert.Equal(["https://media.test/0", "https://media.test/1"], sms.Media);
    }

    [Fact]
    public void Media_are_bounded_and_follow_num_media()
    {
        var fields = new List<(string, string)> { ("From", "+1"), ("To", "+2"), ("Body", ""), ("MessageSid", "SM1"), ("NumMedia", "50") };
        fields.AddRange(Enumerable.Range(0, 50).Select(i => ($"MediaUrl{i}", $"https://media.test/{i}")));

        var sms = TwilioWebhookForms.ReadInbound(Form([.. fields]), null).Value!;

        Assert.Equal(TwilioWebhookForms.MaxMedia, sms.Media.Count);
        Assert.Equal("https://media.test/9", sms.Media[^1]);
        Assert.Equal("", sms.Body);
    }

    [Fact]
    public void Media_links_beyond_num_media_are_ignored()
    {
        var form = Form(("From", "+1"), ("To", "+2"), ("Body", "x"), ("MessageSid", "SM1"), ("NumMedia", "0"), ("MediaUrl0", "https://media.test/0"));

        Assert.Empty(TwilioWebhookForms.ReadInbound(form, null).Value!.Media);
    }

    [Theory]
    [InlineData("From")]
    [InlineData("To")]
    [InlineData("MessageSid")]
    public void An_inbound_sms_without_a_required_field_is_a_problem(string missing)
    {
        var fields = new[] { ("From", "+1"), ("To", "+2"), ("Body", "x"), ("MessageSid", "SM1") }.Where(f => f.Item1 != missing).ToArray();

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
            Form(("MessageStatus", "undelivered"), ("MessageSid", "SM9"), ("ErrorCode", "30003"), ("ErrorMessage", "Unreachable handset")),
            "corr");

        Assert.Equal(
            new StatusReport_("alice@example.com", "msg-1", MessageStatus.Undelivered, "30003", "Unreachable handset", "SM9"),
            StatusReport_.From(parsed.Value!));
    }

    [Fact]
    public void A_status_error_without_a_message_gets_one()
    {
        var report = TwilioWebhookForms.ReadStatus(
            Query(("u", "alice"), ("m", "msg-1")), Form(("MessageStatus", "failed"), ("SmsSid", "SM9"), ("ErrorCode", "30007")), null).Value!;

        Assert.Equal(MessageStatus.Failed, report.Status);
        Assert.Equal("30007", report.Error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(report.Error.Message));
        Assert.Equal("SM9", report.ProviderSid);
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
        Assert.Equal(ErrorCodes.MissingField, TwilioWebhookForms.ReadStatus(Query(("u", "alice"), ("m", "m1")), Form(("MessageSid", "SM1")), null).ProblemCode);

    private sealed record StatusReport_(string UserId, string MessageId, MessageStatus Status, string? ErrorCode, string? ErrorMessage, string? ProviderSid)
    {
        public static StatusReport_ From(MessagingServer.Sms.StatusReport r) =>
            new(r.UserId, r.MessageId, r.Status, r.Error?.Code, r.Error?.Message, r.ProviderSid);
    }
}
