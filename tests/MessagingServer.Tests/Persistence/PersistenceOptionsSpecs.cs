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
    public void The_journal_hocon_carries_the_provider_and_the_write_settings()
    {
        var options = Resolve(new() { ["Persistence:Journal:BatchSize"] = "250" });
        var database = StorageDatabase.From(options);

        var config = new SqlJournalPluginOptions(database, options.Journal).ToConfig()
            .WithFallback(new SqlJournalPluginOptions(database, options.Journal).DefaultConfig);
        var journal = config.GetConfig("akka.persistence.journal.sql");

        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql", journal.GetString("class"));
        Assert.Equal("SQLite.MS", journal.GetString("provider-name"));
        Assert.Equal(database.ConnectionString, journal.GetString("connection-string"));
        Assert.Equal(250, journal.GetInt("batch-size"));
        Assert.Equal(1, journal.GetInt("parallelism"));
        Assert.True(journal.GetBoolean("auto-initialize"));
        Assert.Equal("read-uncommitted", journal.GetString("read-isolation-level"));
        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.query.journal.sql.provider-name"));
    }

    [Fact]
    public void The_snapshot_hocon_carries_the_provider()
    {
        var database = StorageDatabase.From(Resolve());

        var config = new SqlSnapshotPluginOptions(database).ToConfig();

        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.snapshot-store.sql.provider-name"));
        Assert.True(config.GetBoolean("akka.persistence.snapshot-store.sql.auto-initialize"));
    }

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
