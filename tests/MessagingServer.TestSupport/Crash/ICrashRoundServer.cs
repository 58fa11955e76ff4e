namespace MessagingServer.TestSupport.Crash;

/// <summary>
/// The server process crash rounds kill and start again: the end-to-end spec's and the bench's own process
/// types behind one face, so both run the same rounds.
/// </summary>
public interface ICrashRoundServer
{
    /// <summary>Where the running process listens (a new port after each restart is fine).</summary>
    Uri BaseAddress { get; }

    /// <summary>A bearer token this server accepts for <paramref name="userId"/>.</summary>
    string TokenFor(string userId);

    /// <summary>SIGKILL: no shutdown of any kind; returns once the process is gone.</summary>
    Task KillHardAsync();

    /// <summary>Starts the server again on the same data; returns once it is ready.</summary>
    Task RestartAsync();
}
