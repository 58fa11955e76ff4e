using MessagingServer.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace MessagingServer.Tests.Persistence;

public sealed class PersistenceOptionsSpecs
{
    private const string ContentRoot = "/srv/messaging";

    [Fact]
    public void Defaults_are_an_sqlite_file_under_the_content_root_with_one_writer()
    {
        var options = Resolve();

        Assert.Equal(StorageProvider.Sqlite, options.Provider);
        Assert.Equal(Path.Combine(ContentRoot, "data", "messaging.db"), options.SqlitePath);
        Assert.Equal(1, options.Journal.ParallelismFor(options.Provider));
        Assert.Equal(1000, options.SnapshotEvery);
    }

    [Fact]
    public void An_absolute_sqlite_path_is_kept()
    {
        var options = Resolve(new() { ["Persistence:SqlitePath"] = "/var/lib/messaging/store.db" });

        Assert.Equal("/var/lib/messaging/store.db", options.SqlitePath);
    }

    [Fact]
    public void PostgreSql_without_a_connection_string_is_refused_naming_the_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Persistence:Provider"] = "PostgreSql" }));

        Assert.Contains("ConnectionStrings:Messaging", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSql_takes_its_connection_string_from_the_connection_strings_section_only()
    {
        var options = Resolve(new()
        {
            ["Persistence:Provider"] = "PostgreSql",
            ["Persistence:ConnectionString"] = "Host=ignored",
            ["ConnectionStrings:Messaging"] = "Host=db;Database=messaging;Username=app;Password=secret",
        });

        Assert.Equal("Host=db;Database=messaging;Username=app;Password=secret", options.ConnectionString);
        Assert.Equal(4, options.Journal.ParallelismFor(options.Provider));
    }

    [Fact]
    public void A_malformed_postgresql_connection_string_is_refused()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Persistence:Provider"] = "PostgreSql",
            ["ConnectionStrings:Messaging"] = "Hots=db",
        }));

        Assert.Contains("ConnectionStrings:Messaging", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Persistence:Journal:Parallelism", "2")]
    [InlineData("Persistence:Journal:BatchSize", "0")]
    [InlineData("Persistence:Journal:BufferSize", "0")]
    [InlineData("Persistence:SnapshotEvery", "0")]
    [InlineData("Persistence:HealthCheckTimeout", "00:00:00")]
    [InlineData("Persistence:SqlitePath", " ")]
    public void Settings_that_would_only_fail_later_are_refused_naming_the_key(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_database_description_never_shows_a_password()
    {
        var database = StorageDatabase.From(Resolve(new()
        {
            ["Persistence:Provider"] = "PostgreSql",
            ["ConnectionStrings:Messaging"] = "Host=db;Port=5433;Database=messaging;Username=app;Password=secret",
        }));

        Assert.Equal("PostgreSQL db:5433/messaging", database.Description);
        Assert.Equal("PostgreSQL.15", database.ProviderName);
    }

    [Fact]
    public void On_sqlite_all_three_plugins_connect_through_our_data_options_with_one_writer()
    {
        var options = Resolve(new() { ["Persistence:Journal:BatchSize"] = "250" });
        var database = StorageDatabase.From(options);

        var (journal, snapshots) = PersistenceAkkaSetup.PluginOptions(database, options);
        var config = Effective(journal, options, database);

        // The Hosting package registers these per plugin id: journal, read journal, snapshot store.
        Assert.NotNull(journal.DataOptions);
        Assert.Same(journal.DataOptions, snapshots.DataOptions);
        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal(250, config.GetInt("akka.persistence.journal.sql.batch-size"));
        Assert.Equal(1, config.GetInt("akka.persistence.journal.sql.parallelism"));
        Assert.Equal("read-uncommitted", config.GetString("akka.persistence.journal.sql.read-isolation-level"));
        Assert.Equal("read-uncommitted", snapshots.ToConfig().GetString("akka.persistence.snapshot-store.sql.read-isolation-level"));
    }

    [Fact]
    public void On_postgresql_the_plugins_use_the_connection_string_and_four_writers()
    {
        var options = Resolve(new()
        {
            ["Persistence:Provider"] = "PostgreSql",
            ["ConnectionStrings:Messaging"] = "Host=db;Database=messaging;Username=app;Password=secret",
            ["Persistence:Journal:ReplayBatchSize"] = "300",
        });
        var database = StorageDatabase.From(options);

        var (journal, snapshots) = PersistenceAkkaSetup.PluginOptions(database, options);
        var config = Effective(journal, options, database);

        Assert.Null(journal.DataOptions);
        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal(database.ConnectionString, config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal(database.ConnectionString, config.GetString("akka.persistence.query.journal.sql.connection-string"));
        Assert.Equal(database.ConnectionString, snapshots.ToConfig().GetString("akka.persistence.snapshot-store.sql.connection-string"));
        Assert.Equal(4, config.GetInt("akka.persistence.journal.sql.parallelism"));
        Assert.Equal(500, config.GetInt("akka.persistence.journal.sql.batch-size"));
        Assert.Equal(20_000, config.GetInt("akka.persistence.journal.sql.buffer-size"));
        Assert.Equal(300, config.GetInt("akka.persistence.journal.sql.replay-batch-size"));
        Assert.Equal(300, config.GetInt("akka.persistence.query.journal.sql.max-buffer-size"));
        Assert.Equal("unspecified", config.GetString("akka.persistence.journal.sql.read-isolation-level"));
    }

    [Fact]
    public void The_journal_and_the_snapshot_store_try_the_database_again_soon_after_their_breaker_opens()
    {
        var byDefault = Resolve();
        var tuned = Resolve(new() { ["Persistence:Journal:CircuitBreakerResetTimeout"] = "00:00:07" });

        foreach (var (options, expected) in new[] { (byDefault, TimeSpan.FromSeconds(2)), (tuned, TimeSpan.FromSeconds(7)) })
        {
            var database = StorageDatabase.From(options);
            var (journal, snapshots) = PersistenceAkkaSetup.PluginOptions(database, options);
            var config = JournalTuning.For(journal, snapshots, options.Journal, database.Provider);

            Assert.Equal(expected, config.GetTimeSpan("akka.persistence.journal.sql.circuit-breaker.reset-timeout"));
            Assert.Equal(expected, config.GetTimeSpan("akka.persistence.snapshot-store.sql.circuit-breaker.reset-timeout"));
        }
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("01:00:00")]
    public void A_breaker_reset_timeout_out_of_range_is_refused_at_start(string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Persistence:Journal:CircuitBreakerResetTimeout"] = value }));
        Assert.Contains("CircuitBreakerResetTimeout", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>The journal's configuration as the server composes it: our tuning over the options over the plugin's defaults.</summary>
    private static Akka.Configuration.Config Effective(Akka.Persistence.Sql.Hosting.SqlJournalOptions journal, PersistenceOptions options, StorageDatabase database) =>
        JournalTuning.For(journal, PersistenceAkkaSetup.PluginOptions(database, options).Snapshots, options.Journal, database.Provider)
            .WithFallback(journal.ToConfig())
            .WithFallback(journal.DefaultConfig)
            .WithFallback(journal.DefaultQueryConfig);

    private static PersistenceOptions Resolve(Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var environment = new HostingEnvironment { ContentRootPath = ContentRoot, EnvironmentName = "Testing" };
        using var services = new ServiceCollection()
            .AddLogging()
            .AddMessagingPersistence(configuration, environment)
            .BuildServiceProvider();
        return services.GetRequiredService<IOptions<PersistenceOptions>>().Value;
    }
}
