using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;

namespace MessagingServer.Persistence;

/// <summary>
/// <c>Persistence:Journal</c> applied to the plugins that <see cref="SqlJournalOptions"/> sets up. Akka.Persistence.Sql
/// reads these from its configuration and the Hosting package (1.5.70) has no property for them, so this is the one
/// place that writes them, under the options' own plugin ids.
/// </summary>
internal static class JournalTuning
{
    public static Config For(SqlJournalOptions journal, SqlSnapshotOptions snapshots, JournalWriteOptions writes, StorageProvider provider)
    {
        var resetTimeout = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(long)writes.CircuitBreakerResetTimeout.TotalMilliseconds}ms");
        var sb = new StringBuilder();
        sb.Append(journal.PluginId).AppendLine(" {");
        sb.AppendLine($"batch-size = {writes.BatchSize.ToHocon()}");
        // Rows per INSERT statement: at least a whole batch, so that a batch is one statement.
        sb.AppendLine($"db-round-trip-max-batch-size = {Math.Max(writes.BatchSize, 1000).ToHocon()}");
        sb.AppendLine($"parallelism = {writes.ParallelismFor(provider).ToHocon()}");
        sb.AppendLine($"buffer-size = {writes.BufferSize.ToHocon()}");
        sb.AppendLine($"replay-batch-size = {writes.ReplayBatchSize.ToHocon()}");
        sb.AppendLine($"circuit-breaker.reset-timeout = {resetTimeout}");
        sb.AppendLine("}");
        sb.Append(snapshots.PluginId).AppendLine(" {");
        sb.AppendLine($"circuit-breaker.reset-timeout = {resetTimeout}");
        sb.AppendLine("}");

        // The read journal pages a query (CurrentEventsByPersistenceId) by max-buffer-size rows.
        sb.Append(journal.QueryPluginId).AppendLine(" {");
        sb.AppendLine($"max-buffer-size = {writes.ReplayBatchSize.ToHocon()}");
        sb.AppendLine("}");
        return ConfigurationFactory.ParseString(sb.ToString());
    }
}
