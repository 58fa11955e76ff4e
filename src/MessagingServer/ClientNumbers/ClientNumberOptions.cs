using System.ComponentModel.DataAnnotations;

namespace MessagingServer.ClientNumbers;

/// <summary>Client number entities (last writer and consent per client), bound from the <c>ClientNumbers</c> section.</summary>
public sealed class ClientNumberOptions
{
    public const string Section = "ClientNumbers";

    /// <summary>A client number with no message for this long stops (sharding's passivation), so memory stays bounded.</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The same user writing again to a client is stored only once the stored time is this old, so a busy
    /// conversation does not write on every send (a change of hands is always stored).
    /// </summary>
    public TimeSpan ClaimRefreshAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a webhook or a session waits for a client number before answering "unavailable".</summary>
    public TimeSpan AskTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A client number saves a snapshot after this many stored events.</summary>
    [Range(1, 1_000_000)]
    public int SnapshotEvery { get; set; } = 100;
}
