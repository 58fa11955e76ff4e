using System.Text.Json;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Domain.Sessions;

namespace MessagingServer.Tests.Domain;

/// <summary>An MMS through the session's pure rules: what is stored and what the <c>outbound</c> frame says.</summary>
public sealed class MediaSendDecisionSpecs
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 7, 0, 0, TimeSpan.Zero);
    private const string Photo = "https://cdn.example.com/photo.jpg";

    [Fact]
    public void A_consented_send_with_media_stores_the_media_in_order()
    {
        var state = new ChatSessionState("u");
        var media = new List<string> { Photo, "https://cdn.example.com/b.png" };

        var store = Assert.IsType<SendDecision.Store>(state.DecideConsented("+15550000000", "+15550001111", "", "r1", false, "m1", At, media));
        media.Add("https://changed.example/later.jpg");

        Assert.Equal([Photo, "https://cdn.example.com/b.png"], store.Accepted.Media);
        Assert.Equal("", store.Accepted.Body);
        Assert.Equal(MessageStatus.Queued, store.Accepted.Status);
    }

    [Fact]
    public void A_send_without_media_or_with_an_empty_list_stores_no_media()
    {
        var state = new ChatSessionState("u");

        Assert.Null(Assert.IsType<SendDecision.Store>(state.DecideConsented("+15550000000", "+15550001111", "hi", null, false, "m1", At)).Accepted.Media);
        Assert.Null(Assert.IsType<SendDecision.Store>(state.DecideConsented("+15550000000", "+15550001111", "hi", null, false, "m2", At, [])).Accepted.Media);
    }

    [Fact]
    public void An_opted_out_recipient_gets_no_mms_either()
    {
        var state = new ChatSessionState("u");

        var refused = Assert.IsType<SendDecision.Refused>(state.DecideConsented("+15550000000", "+15550001111", "", null, true, "m1", At, [Photo]));

        Assert.Equal(ErrorCodes.OptedOut, refused.Code);
    }

    [Fact]
    public void A_repeated_client_ref_answers_the_first_mms_with_its_media()
    {
        var state = new ChatSessionState("u");
        var first = Assert.IsType<SendDecision.Store>(state.DecideConsented("+15550000000", "+15550001111", "", "r1", false, "m1", At, [Photo])).Accepted;
        state.Apply(first);

        var duplicate = Assert.IsType<SendDecision.Duplicate>(state.DecideSend("r1"));

        Assert.Equal([Photo], duplicate.First.Media);
    }

    [Fact]
    public void The_outbound_frame_carries_media_only_when_there_is_some()
    {
        var plain = new OutboundAccepted(1, "m1", null, "+15550000000", "+15550001111", "hi", At, MessageStatus.Queued, SmsSegments.Gsm7, 1);
        var mms = plain with { Seq = 2, Id = "m2", Body = "", Media = [Photo, "https://cdn.example.com/a\"b.png"] };

        using var plainFrame = JsonDocument.Parse(ServerFrames.Event(plain));
        using var mmsFrame = JsonDocument.Parse(ServerFrames.Event(mms));

        Assert.False(plainFrame.RootElement.TryGetProperty("media", out _));
        Assert.Equal("outbound", mmsFrame.RootElement.GetProperty("type").GetString());
        Assert.Equal([Photo, "https://cdn.example.com/a\"b.png"], mmsFrame.RootElement.GetProperty("media").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("", mmsFrame.RootElement.GetProperty("body").GetString());
    }
}
