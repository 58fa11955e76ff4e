using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql;

namespace MessagingServer.Persistence;

/// <summary>Akka.Persistence.Sql's snapshot store as an Akka.Hosting snapshot option; see <see cref="SqlJournalPluginOptions"/>.</summary>
internal sealed class SqlSnapshotPluginOptions : SnapshotOptions
{
    public SqlSnapshotPluginOptions(StorageDatabase database)
        : base(isDefault: true)
    {
        Database = database;
        AutoInitialize = true;
    }

    public override string Identifier { get; set; } = "sql";

    public StorageDatabase Database { get; }

    /// <summary>Akka.Persistence.Sql's own table layout (<c>snapshot</c>).</summary>
    public string TableMapping { get; init; } = "default";

    protected override Config InternalDefaultConfig =>
        SqlPersistence.DefaultConfiguration.GetConfig(SqlPersistence.SnapshotStoreConfigPath);

    protected override StringBuilder Build(StringBuilder sb)
    {
        sb.AppendLine($"provider-name = {Database.ProviderName.ToHocon()}");
        sb.AppendLine($"connection-string = {Database.ConnectionString.ToHocon()}");
        sb.AppendLine($"table-mapping = {TableMapping.ToHocon()}");
        sb.AppendLine($"read-isolation-level = {Database.ReadIsolationLevel}");
        return base.Build(sb);
    }
}
