using Akka;
using Akka.Actor;

namespace MessagingServer.Cluster;

/// <summary>
/// A node the cluster downed (the split-brain resolver, or an operator) shuts down by itself
/// (<c>run-coordinated-shutdown-when-down</c>): it says so in its log, as an error, and the process exits non-zero,
/// so that a supervisor (systemd, Kubernetes) sees a failure and starts it again. A SIGTERM leave is not this.
/// </summary>
public static class DownedNodeExit
{
    /// <summary>The exit code of a downed node (EX_SOFTWARE: not a clean stop).</summary>
    public const int ExitCode = 70;

    /// <summary>The exit code a shutdown for <paramref name="reason"/> must end with, or null to leave it as it is.</summary>
    public static int? ExitCodeFor(CoordinatedShutdown.Reason? reason) =>
        reason is CoordinatedShutdown.ClusterDowningReason ? ExitCode : null;

    /// <summary>In the first shutdown phase: when the cluster downed this node, log why and set the exit code.</summary>
    public static void Register(ActorSystem system, ILogger logger, Action<int>? setExitCode = null)
    {
        var shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "downed-node-exit", () =>
        {
            if (ExitCodeFor(shutdown.ShutdownReason) is { } code)
            {
                LogDowned(logger, Akka.Cluster.Cluster.Get(system).SelfAddress.ToString(), code);
                (setExitCode ?? (c => Environment.ExitCode = c))(code);
            }

            return Task.FromResult(Done.Instance);
        });
    }

    private static void LogDowned(ILogger logger, string address, int code) =>
        logger.LogError(
            "Cluster: node {Address} was downed by the cluster (the split-brain resolver found it unreachable from the majority, or an operator downed it); it shuts down and the process exits non-zero ({ExitCode} unless the host ends it first)",
            address, code);
}
