using System.ComponentModel.DataAnnotations;

namespace MessagingServer.Cluster;

/// <summary>
/// The <c>Cluster</c> section: how this node joins the others. With no <see cref="SeedNodes"/> the server is a
/// cluster of one that forms by itself, and nothing here needs setting.
/// </summary>
public sealed class ClusterNodeOptions
{
    public const string Section = "Cluster";

    /// <summary>The address Akka.Remote binds to (e.g. <c>0.0.0.0</c> in a container).</summary>
    [Required]
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The remoting port; 0 picks a free one (fine for a cluster of one and for nodes that are not seeds).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>The name other nodes reach this one by (a DNS name in Docker or Kubernetes); <see cref="Hostname"/> when unset.</summary>
    public string? PublicHostname { get; set; }

    /// <summary><c>akka.tcp://messaging@host:port</c> of the nodes that form the cluster; the first one forms a new cluster.</summary>
    public string[] SeedNodes { get; set; } = [];

    /// <summary>Shards that sessions are spread over: about ten times the most nodes ever, never changed for a cluster's life.</summary>
    [Range(1, 100_000)]
    public int Shards { get; set; } = 100;

    /// <summary>How long membership must be stable before the split-brain resolver (keep-majority) downs the unreachable side.</summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the server waits at start for this node to be Up before taking traffic anyway (readiness says so).</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsClusterOfOne => SeedNodes.Length == 0;
}
