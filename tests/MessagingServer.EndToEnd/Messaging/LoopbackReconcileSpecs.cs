using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Messaging;

/// <summary>The loopback provider told to lose every answer (<c>Sms:Loopback:LoseAnswers=1</c>): each send is looked up and found.</summary>
public sealed class LoopbackReconcileSpecs
{
    [Fact]
    public async Task A_send_whose_answer_the_loopback_lost_is_looked_up_and_found_delivered()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:Loopback:LoseAnswers"] = "1",
            ["Twilio:ReconcileFirstDelay"] = "00:00:00.100",
        });
        await using var desk = await MessageClient.ConnectAsync(server, "lossy");

        await desk.SendAsync("+15557770202", "are you there?");

        var outbound = await desk.ExpectAsync("outbound");
        var status = await desk.ExpectAsync("status");
        Assert.Equal(((string?)outbound["id"], "delivered"), ((string?)status["id"], (string?)status["status"]));
        await desk.ExpectNothingPendingAsync();
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    public async Task A_fraction_outside_0_to_1_stops_the_server_at_start(string fraction)
    {
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Sms:Loopback:LoseAnswers"] = fraction });
        });
    }
}
