namespace MessagingServer.Bench.Clients;

/// <summary>The baseline hub's messages (bench/BaselineServers/BenchHub.cs), as the SignalR client sees them.</summary>
public sealed record SendCommand(string To, string Body, string? ClientRef);

public sealed record OutboundEvent(string Type, long Seq, string Id, string? ClientRef, string From, string To, string Body, string At, string Status);

public sealed record MessageEvent(string Type, long Seq, string Id, string From, string To, string Body, string[] Media, string At);
