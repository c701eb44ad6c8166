using CrossMargin.Hocon;
using CrossMargin.Persistence.Batching;
using CrossMargin.Persistence.Configuration;
using CrossMargin.Persistence.InMemory;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Snapshot;
using CrossMargin.Persistence.Sql.Dialects;
using CrossMargin.Persistence.Sql.Journal;
using CrossMargin.Persistence.Sql.Snapshot;

namespace CrossMargin.Persistence.Sql;

/// <summary>An opened journal and snapshot store; dispose after the actor system terminated.</summary>
/// <param name="Journal">The journal (also an <see cref="Query.IReadJournal"/>).</param>
/// <param name="SnapshotStore">The snapshot store on the same database.</param>
/// <param name="Settings">The settings they were opened with.</param>
/// <param name="Target">What was opened: <c>in-memory</c>, a file path or host:port/database.</param>
public sealed record PersistencePlugins(IJournal Journal, ISnapshotStore SnapshotStore, PersistenceSettings Settings, string Target) : IAsyncDisposable
{
    /// <summary>The journal's query side.</summary>
    public Query.IReadJournal ReadJournal => (Query.IReadJournal)Journal;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Journal.DisposeAsync().ConfigureAwait(false);
        await SnapshotStore.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Opens the configured journal plugin: from HOCON (<c>crossmargin.persistence</c>) or a <c>--journal</c> string.</summary>
public static class JournalFactory
{
    /// <summary>Opens the plugins described by <paramref name="config"/>'s <c>crossmargin.persistence</c> section.</summary>
    /// <exception cref="PersistenceConnectionException">The database cannot be reached; the message names the target.</exception>
    /// <exception cref="SchemaVersionException">The database was written by a newer schema version.</exception>
    public static Task<PersistencePlugins> CreateAsync(Config config, EventSerializer serializer, CancellationToken cancellationToken = default)
        => CreateAsync(PersistenceSettings.FromConfig(config), serializer, cancellationToken);

    /// <summary>Opens the plugins described by <paramref name="settings"/>.</summary>
    public static async Task<PersistencePlugins> CreateAsync(PersistenceSettings settings, EventSerializer serializer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(serializer);
        if (settings.Plugin == JournalPlugin.InMemory)
        {
            return new PersistencePlugins(new InMemoryJournal(serializer, refreshInterval: settings.RefreshInterval), new InMemorySnapshotStore(serializer), settings, "in-memory");
        }

        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new ArgumentException($"crossmargin.persistence.connection-string is empty but plugin = {settings.Plugin.ToString().ToLowerInvariant()} needs one (a file path for sqlite, an Npgsql connection string for postgres)");
        }

        var options = ToOptions(settings);
        var journal = await SqlJournal.OpenAsync(options, serializer, cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshots = await SqlSnapshotStore.OpenAsync(options, serializer, cancellationToken).ConfigureAwait(false);
            return new PersistencePlugins(journal, snapshots, settings, journal.Target);
        }
        catch
        {
            await journal.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Applies a command-line journal spec to <paramref name="settings"/>: <c>inmem</c>, <c>sqlite:PATH</c> or
    /// <c>postgres:CONNECTION-STRING</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The spec has no known prefix; the message quotes it and shows the forms.</exception>
    public static PersistenceSettings ParseSpec(string spec, PersistenceSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        settings ??= new PersistenceSettings();
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? spec : spec[..colon];
        var rest = colon < 0 ? string.Empty : spec[(colon + 1)..];
        JournalPlugin plugin;
        try
        {
            plugin = PersistenceSettings.ParsePlugin(kind);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"--journal \"{spec}\" is not a journal spec; use inmem, sqlite:PATH or postgres:CONNECTION-STRING");
        }

        if (plugin != JournalPlugin.InMemory && rest.Length == 0)
        {
            throw new ArgumentException($"--journal \"{spec}\" names no {(plugin == JournalPlugin.Sqlite ? "file" : "connection string")}; use {(plugin == JournalPlugin.Sqlite ? "sqlite:PATH" : "postgres:Host=...;Database=...")}");
        }

        return settings with { Plugin = plugin, ConnectionString = rest };
    }

    /// <summary>The SQL options equivalent to <paramref name="settings"/>.</summary>
    public static SqlJournalOptions ToOptions(PersistenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var backend = settings.Plugin switch
        {
            JournalPlugin.Sqlite => SqlBackend.Sqlite,
            JournalPlugin.Postgres => SqlBackend.Postgres,
            _ => throw new ArgumentException($"plugin {settings.Plugin} is not a SQL plugin"),
        };
        var mode = settings.PostgresInsertMode.Trim().ToLowerInvariant() switch
        {
            "copy" => PostgresInsertMode.Copy,
            "insert" => PostgresInsertMode.Insert,
            _ => throw new ArgumentException($"crossmargin.persistence.postgres-insert-mode = \"{settings.PostgresInsertMode}\" must be copy or insert"),
        };
        return new SqlJournalOptions(backend, settings.ConnectionString)
        {
            GroupCommit = new GroupCommitOptions(settings.BatchSize, settings.Parallelism, settings.WriteRetries, settings.RetryBackoffMin, settings.RetryBackoffMax),
            PostgresInsertMode = mode,
            RefreshInterval = settings.RefreshInterval,
        };
    }
}
