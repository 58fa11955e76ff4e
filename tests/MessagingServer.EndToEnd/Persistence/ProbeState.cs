using MessagingServer.Domain.Messages;
using MessagingServer.Persistence;
using Microsoft.AspNetCore.Builder;

namespace MessagingServer.EndToEnd.Persistence;

/// <summary>A stand-in for the session snapshot: proves a snapshot type registered later is stored by our serializer.</summary>
public sealed record ProbeState(long Seq, IReadOnlyDictionary<string, MessageStatus> Statuses, IReadOnlyList<string> OptedOut) : IStoredState
{
    public const string Manifest = "test-probe-state.v1";

    /// <summary>Adds this type to a test server's stored types (each host has its own registry).</summary>
    public static void Register(WebApplicationBuilder builder) => builder.Services.AddStoredType<ProbeState>(Manifest);
}
