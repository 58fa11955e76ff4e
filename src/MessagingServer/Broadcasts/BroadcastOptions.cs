using System.ComponentModel.DataAnnotations;

namespace MessagingServer.Broadcasts;

/// <summary>Broadcast behaviour, bound from the <c>Broadcasts</c> section.</summary>
public sealed class BroadcastOptions
{
    public const string Section = "Broadcasts";

    /// <summary>Recipients handed to the session and not answered yet, at most (the sender number's rate paces them further).</summary>
    [Range(1, 256)]
    public int MaxInFlight { get; set; } = 8;

    /// <summary>A <c>broadcast</c> event at most this often while it runs (besides one at every tenth, at start and at the end).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After the session did not answer (or was unavailable), the broadcast waits this long before asking again.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the broadcast waits for the session's answer to one recipient's send.</summary>
    public TimeSpan AskTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often every node wakes the unfinished broadcasts (and once when it starts), so that one whose node stopped
    /// or crashed carries on elsewhere (or after the restart) without anybody asking for it.
    /// </summary>
    public TimeSpan ResumeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A broadcast saves a snapshot of its state after this many stored events (one per recipient, about), and when it
    /// finishes; recovery reads the newest snapshot and the events after it. Older snapshots are deleted, events kept.
    /// </summary>
    [Range(1, 1_000_000)]
    public int SnapshotEvery { get; set; } = 1000;
}
