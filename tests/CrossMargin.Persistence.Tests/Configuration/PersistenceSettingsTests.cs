using CrossMargin.Hocon;
using CrossMargin.Persistence.Configuration;

namespace CrossMargin.Persistence.Tests.Configuration;

public sealed class PersistenceSettingsTests
{
    [Fact]
    public void Settings_should_read_every_key_of_the_persistence_section()
    {
        var config = ConfigurationFactory.ParseString("""
            crossmargin.persistence {
              plugin = postgres
              connection-string = "Host=db;Database=cm"
              batch-size = 500
              parallelism = 3
              write-retries = 2
              retry-backoff-min = 10ms
              retry-backoff-max = 1s
              max-concurrent-recoveries = 7
              snapshot-interval = 250
              max-message-batch-size = 50
              postgres-insert-mode = insert
              query.refresh-interval = 20ms
            }
            """);
        var s = PersistenceSettings.FromConfig(config);
        Assert.Equal(JournalPlugin.Postgres, s.Plugin);
        Assert.Equal("Host=db;Database=cm", s.ConnectionString);
        Assert.Equal((500, 3, 2), (s.BatchSize, s.Parallelism, s.WriteRetries));
        Assert.Equal((TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1)), (s.RetryBackoffMin, s.RetryBackoffMax));
        Assert.Equal((7, 250, 50), (s.MaxConcurrentRecoveries, s.SnapshotInterval, s.MaxMessageBatchSize));
        Assert.Equal(("insert", TimeSpan.FromMilliseconds(20)), (s.PostgresInsertMode, s.RefreshInterval));
    }

    [Fact]
    public void Settings_should_match_the_defaults_of_reference_conf()
    {
        var fromReference = PersistenceSettings.FromConfig(ConfigurationFactory.Default());
        Assert.Equal(new PersistenceSettings(), fromReference);
    }

    [Fact]
    public void Settings_should_name_the_key_and_value_of_an_unknown_plugin()
    {
        var error = Assert.Throws<ArgumentException>(() => PersistenceSettings.FromConfig(ConfigurationFactory.ParseString("crossmargin.persistence.plugin = mongo")));
        Assert.Contains("crossmargin.persistence.plugin = \"mongo\"", error.Message, StringComparison.Ordinal);
    }
}
