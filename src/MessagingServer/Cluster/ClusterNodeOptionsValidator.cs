using MessagingServer.Hosting;
using MessagingServer.Persistence;
using Microsoft.Extensions.Options;

namespace MessagingServer.Cluster;

/// <summary>
/// Refuses settings that cannot form a working cluster: seed nodes that are not addresses of this actor system,
/// and seed nodes on SQLite (a file on one machine is not storage that several nodes can share).
/// </summary>
internal sealed class ClusterNodeOptionsValidator(IOptions<PersistenceOptions> persistence) : IValidateOptions<ClusterNodeOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterNodeOptions options)
    {
        var failures = new List<string>();
        foreach (var seed in options.SeedNodes)
        {
            if (!IsSeedAddress(seed))
            {
                failures.Add($"Cluster:SeedNodes: '{seed}' is not an address of this server's cluster; expected akka.tcp://{AkkaSetup.ActorSystemName}@host:port");
            }
        }

        if (options.SeedNodes.Length > 0 && persistence.Value.Provider == StorageProvider.Sqlite)
        {
            failures.Add("Cluster:SeedNodes is set but Persistence:Provider is Sqlite: a cluster's nodes must share one journal, so set Persistence:Provider=PostgreSql and ConnectionStrings:Messaging");
        }

        if (options.StableAfter < TimeSpan.FromSeconds(1))
        {
            failures.Add("Cluster:StableAfter must be at least 1 second");
        }

        if (options.JoinTimeout <= TimeSpan.Zero)
        {
            failures.Add("Cluster:JoinTimeout must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsSeedAddress(string seed)
    {
        if (!Uri.TryCreate(seed, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.Scheme == "akka.tcp"
            && uri.UserInfo == AkkaSetup.ActorSystemName
            && !string.IsNullOrEmpty(uri.Host)
            && uri.Port is > 0 and <= 65535
            && uri.AbsolutePath is "" or "/";
    }
}
