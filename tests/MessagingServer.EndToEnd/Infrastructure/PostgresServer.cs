using MessagingServer.TestSupport;

namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>The throwaway <see cref="LocalPostgres"/> as an xunit fixture, shared by the classes of <see cref="PostgresCollection"/>.</summary>
public sealed class PostgresServer : LocalPostgres, IAsyncLifetime
{
}

/// <summary>The test classes that share one <see cref="PostgresServer"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
