using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Messaging;

/// <summary>
/// A busy session keeps only its newest sends in memory (here 2 final ones and 10 events); a clientRef repeated after
/// its first send has left memory, and a snapshot, is still answered with that first send, read back from the journal.
/// </summary>
[Collection(LoopbackServerCollection.Name)]
public sealed class ForgottenSendSpecs(MediaServerFixture fixture)
{
    private const string Client = "+15550404001";

    [Fact]
    public async Task A_client_ref_repeated_long_after_its_send_left_memory_gets_the_first_outbound_and_nothing_is_sent()
    {
        await using var user = await MessageClient.ConnectAsync(fixture.Server, "busy-dedup");
        await user.SendAsync(Client, "the first", clientRef: "first-ref");
        var first = await user.ExpectAsync("outbound");
        await user.ReceiveManyAsync(3); // sent, delivered, auto-reply
        for (var i = 1; i <= 6; i++)
        {
            await user.SendAsync(Client, $"later {i}", clientRef: $"later-{i}");
            await user.ReceiveManyAsync(4);
        }

        await user.SendAsync(Client, "the first", clientRef: "first-ref");

        var again = await user.ReceiveAsync();
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        await user.ExpectNothingPendingAsync();
        var rest = await fixture.Server.HttpFor("busy-dedup").PostAsJsonAsync("/api/users/busy-dedup/messages", new { to = Client, body = "the first", clientRef = "first-ref" });
        Assert.Equal(HttpStatusCode.Accepted, rest.StatusCode);
        var accepted = await rest.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal((string?)first["id"], (string?)accepted!["id"]);
        Assert.Equal((long)first["seq"]!, (long)accepted["seq"]!);
        await user.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task A_new_client_ref_after_many_forgotten_sends_is_sent_as_new()
    {
        await using var user = await MessageClient.ConnectAsync(fixture.Server, "busy-new");
        for (var i = 1; i <= 5; i++)
        {
            await user.SendAsync(Client, $"message {i}", clientRef: $"ref-{i}");
            await user.ReceiveManyAsync(4);
        }

        await user.SendAsync(Client, "brand new", clientRef: "ref-new");

        var outbound = await user.ExpectAsync("outbound");
        Assert.Equal("brand new", (string?)outbound["body"]);
        Assert.Equal(21, (long)outbound["seq"]!);
    }
}
