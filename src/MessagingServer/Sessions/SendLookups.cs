using MessagingServer.Observability;
using MessagingServer.Sms;

namespace MessagingServer.Sessions;

/// <summary>What a session needs to look up sends whose provider answer was lost: the provider, the window and backoff, the metrics.</summary>
public sealed record SendLookups(IClientMessagingService Provider, ReconcileOptions Options, ReconcileMetrics Metrics);
