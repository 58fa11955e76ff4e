using MessagingServer.WebSockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MessagingServer.Tests.WebSockets;

/// <summary>
/// Kestrel's accept queue comes from <c>Messaging:ListenBacklog</c>: a reconnect storm of thousands of users must not
/// find it full at Kestrel's 512 and wait out the client's one-second SYN retry.
/// </summary>
public sealed class ListenBacklogSpecs
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection().AddMessagingWebSockets(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Without_a_setting_the_accept_queue_holds_4096_connects()
    {
        using var services = Services();
        Assert.Equal(4096, services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.Backlog);
    }

    [Fact]
    public void The_setting_reaches_kestrels_socket_transport()
    {
        using var services = Services(("Messaging:ListenBacklog", "1234"));
        Assert.Equal(1234, services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.Backlog);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("15")]
    [InlineData("65536")]
    [InlineData("-1")]
    public void A_backlog_out_of_range_is_refused_by_name(string value)
    {
        using var services = Services(("Messaging:ListenBacklog", value));
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WebSocketSettings>>().Value);
        Assert.Contains("ListenBacklog", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_backlog_that_is_not_a_number_is_refused()
    {
        using var services = Services(("Messaging:ListenBacklog", "lots"));
        Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IOptions<WebSocketSettings>>().Value);
    }
}
