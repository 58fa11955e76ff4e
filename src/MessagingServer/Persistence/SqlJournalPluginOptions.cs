using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql;

namespace MessagingServer.Persistence;

/// <summary>
/// Akka.Persistence.Sql's journal as an Akka.Hosting journal option (its own Hosting package is not on our
/// feed). This and <see cref="SqlSnapshotPluginOptions"/> are the only places that write its HOCON; the
/// plugin's defaults come from <see cref="SqlPersistence.DefaultConfiguration"/>.
/// </summary>
internal sealed class SqlJournalPluginOptions : JournalOptions
{
    public const string QueryPluginId = "akka.persistence.query.journal.sql";

    public SqlJournalPluginOptions(StorageDatabase database, JournalWriteOptions writes)
        : base(isDefault: true)
    {
        Database = database;
        Writes = writes;
        AutoInitialize = true;
    }

    public override string Identifier { get; set; } = "sql";

    public StorageDatabase Database { get; }

    public JournalWriteOptions Writes { get; }

    /// <summary>Akka.Persistence.Sql's own table layout (<c>journal</c>, <c>tags</c>): this project has no legacy tables to match.</summary>
    public string TableMapping { get; init; } = "default";

    protected override Config InternalDefaultConfig =>
        SqlPersistence.DefaultConfiguration.GetConfig(SqlPersistence.JournalConfigPath);

    protected override StringBuilder Build(StringBuilder sb)
    {
        var parallelism = Writes.ParallelismFor(Database.Provider);
        sb.AppendLine($"provider-name = {Database.ProviderName.ToHocon()}");
        sb.AppendLine($"connection-string = {Database.ConnectionString.ToHocon()}");
        sb.AppendLine($"table-mapping = {TableMapping.ToHocon()}");
        sb.AppendLine($"batch-size = {Writes.BatchSize.ToHocon()}");
        sb.AppendLine($"db-round-trip-max-batch-size = {Math.Max(Writes.BatchSize, 1000).ToHocon()}");
        sb.AppendLine($"parallelism = {parallelism.ToHocon()}");
        sb.AppendLine($"buffer-size = {Writes.BufferSize.ToHocon()}");
        sb.AppendLine($"replay-batch-size = {Writes.ReplayBatchSize.ToHocon()}");
        sb.AppendLine($"read-isolation-level = {Database.ReadIsolationLevel}");
        base.Build(sb);

        // The read side (Akka.Persistence.Query), so that a query over the same tables works without more set-up.
        sb.AppendLine($"{QueryPluginId} {{");
        sb.AppendLine($"write-plugin = {PluginId.ToHocon()}");
        sb.AppendLine($"provider-name = {Database.ProviderName.ToHocon()}");
        sb.AppendLine($"connection-string = {Database.ConnectionString.ToHocon()}");
        sb.AppendLine($"table-mapping = {TableMapping.ToHocon()}");
        sb.AppendLine($"replay-batch-size = {Writes.ReplayBatchSize.ToHocon()}");
        sb.AppendLine($"read-isolation-level = {Database.ReadIsolationLevel}");
        sb.AppendLine("}");
        return sb;
    }
}
