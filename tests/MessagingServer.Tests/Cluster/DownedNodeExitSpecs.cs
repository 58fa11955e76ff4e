using Akka.Actor;
using MessagingServer.Cluster;
using Microsoft.Extensions.Logging;

namespace MessagingServer.Tests.Cluster;

public sealed class DownedNodeExitSpecs
{
    [Fact]
    public void Only_a_shutdown_for_downing_asks_for_a_non_zero_exit()
    {
        Assert.Equal(DownedNodeExit.ExitCode, DownedNodeExit.ExitCodeFor(CoordinatedShutdown.ClusterDowningReason.Instance));
        Assert.NotEqual(0, DownedNodeExit.ExitCode);
        Assert.Null(DownedNodeExit.ExitCodeFor(CoordinatedShutdown.ClusterLeavingReason.Instance));
        Assert.Null(DownedNodeExit.ExitCodeFor(CoordinatedShutdown.ClrExitReason.Instance));
        Assert.Null(DownedNodeExit.ExitCodeFor(null));
    }

    [Fact]
    public async Task A_node_downed_by_the_cluster_logs_why_and_sets_a_non_zero_exit_code()
    {
        using var system = ActorSystem.Create("downed", """
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.remote.dot-netty.tcp.port = 0
            akka.coordinated-shutdown.exit-clr = off
            """);
        var cluster = Akka.Cluster.Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var logger = new CapturingLogger();
        int? exitCode = null;
        DownedNodeExit.Register(system, logger, code => exitCode = code);

        // What the split-brain resolver does to the minority side: down the member; the node then shuts itself down.
        cluster.Down(cluster.SelfAddress);
        await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(DownedNodeExit.ExitCode, exitCode);
        var error = Assert.Single(logger.Errors);
        Assert.Contains("was downed by the cluster", error, StringComparison.Ordinal);
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly List<string> _errors = [];

        public IReadOnlyList<string> Errors
        {
            get
            {
                lock (_errors)
                {
                    return [.. _errors];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                lock (_errors)
                {
                    _errors.Add(formatter(state, exception));
                }
            }
        }
    }
}
