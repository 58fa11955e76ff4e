namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>Waits for a condition that another thread makes true (e.g. the server releasing a socket), with a deadline.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? SocketClient.DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("the condition did not become true in time");
            }

            await Task.Delay(20);
        }
    }
}
