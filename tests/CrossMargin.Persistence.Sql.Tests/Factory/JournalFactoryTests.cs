using CrossMargin.Hocon;
using CrossMargin.Persistence.Configuration;
using CrossMargin.Persistence.InMemory;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Sql.Journal;
using CrossMargin.Persistence.Sql.Tests.Infrastructure;
using CrossMargin.Persistence.Tests.Conformance;

namespace CrossMargin.Persistence.Sql.Tests.Factory;

public sealed class JournalFactoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void ParseSpec_should_read_sqlite_postgres_and_inmem_specs()
    {
        Assert.Equal((JournalPlugin.Sqlite, "/tmp/j.db"), Plugin(JournalFactory.ParseSpec("sqlite:/tmp/j.db")));
        Assert.Equal((JournalPlugin.Postgres, "Host=h;Database=d"), Plugin(JournalFactory.ParseSpec("postgres:Host=h;Database=d")));
        Assert.Equal((JournalPlugin.InMemory, string.Empty), Plugin(JournalFactory.ParseSpec("inmem")));
    }

    [Fact]
    public void ParseSpec_should_quote_a_bad_spec_and_show_the_forms()
    {
        var error = Assert.Throws<ArgumentException>(() => JournalFactory.ParseSpec("mysql:x"));
        Assert.Contains("\"mysql:x\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("sqlite:PATH", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => JournalFactory.ParseSpec("sqlite:"));
    }

    [Fact]
    public async Task CreateAsync_should_open_the_sqlite_plugin_from_hocon()
    {
        var path = _dir.File("cm.db");
        var config = ConfigurationFactory.ParseString($"crossmargin.persistence {{ plugin = sqlite, connection-string = \"{path}\" }}");
        await using var plugins = await JournalFactory.CreateAsync(config, TestEvents.Serializer());
        Assert.IsType<SqlJournal>(plugins.Journal);
        Assert.Equal(path, plugins.Target);
        await TestEvents.WriteAllAsync(plugins.Journal, TestEvents.Range("x", 1, 2));
        Assert.Equal(2, (await plugins.ReadJournal.CurrentAllEvents(0).ToListAsync()).Count);
    }

    [Fact]
    public async Task CreateAsync_should_open_the_in_memory_plugin_by_default()
    {
        await using var plugins = await JournalFactory.CreateAsync(ConfigurationFactory.Empty, TestEvents.Serializer());
        Assert.IsType<InMemoryJournal>(plugins.Journal);
    }

    [Fact]
    public async Task CreateAsync_should_refuse_a_sql_plugin_without_a_connection_string()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => JournalFactory.CreateAsync(new PersistenceSettings { Plugin = JournalPlugin.Sqlite }, TestEvents.Serializer()));
        Assert.Contains("connection-string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_should_name_an_unreachable_postgres_server()
    {
        var settings = JournalFactory.ParseSpec("postgres:Host=127.0.0.1;Port=1;Database=cm;Username=u;Timeout=2");
        var error = await Assert.ThrowsAsync<PersistenceConnectionException>(() => JournalFactory.CreateAsync(settings, TestEvents.Serializer()));
        Assert.StartsWith("cannot open the PostgreSQL journal at 127.0.0.1:1/cm", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static (JournalPlugin, string) Plugin(PersistenceSettings s) => (s.Plugin, s.ConnectionString);
}
