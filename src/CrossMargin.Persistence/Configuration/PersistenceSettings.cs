using CrossMargin.Hocon;

namespace CrossMargin.Persistence.Configuration;

/// <summary>Journal plugin choice.</summary>
public enum JournalPlugin
{
    /// <summary>In process memory (tests, throw-away runs).</summary>
    InMemory,

    /// <summary>SQLite file.</summary>
    Sqlite,

    /// <summary>PostgreSQL server.</summary>
    Postgres,
}

/// <summary>The <c>crossmargin.persistence</c> HOCON section, parsed. See docs/persistence.md for every key.</summary>
public sealed record PersistenceSettings
{
    /// <summary>Which plugin stores events and snapshots (<c>plugin = inmem | sqlite | postgres</c>).</summary>
    public JournalPlugin Plugin { get; init; } = JournalPlugin.InMemory;

    /// <summary>SQLite file path or connection string; Npgsql connection string for PostgreSQL.</summary>
    public string ConnectionString { get; init; } = string.Empty;

    /// <summary>Most rows in one group-commit transaction.</summary>
    public int BatchSize { get; init; } = 10_000;

    /// <summary>Group-commit writer loops (PostgreSQL; SQLite always uses one).</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>Retries of a batch after a transient database error.</summary>
    public int WriteRetries { get; init; } = 8;

    /// <summary>First retry delay, doubled per retry.</summary>
    public TimeSpan RetryBackoffMin { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest retry delay.</summary>
    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most persistent actors recovering at once.</summary>
    public int MaxConcurrentRecoveries { get; init; } = 50;

    /// <summary>Events between snapshots an actor should take (0: never); actors read it through <c>SnapshotInterval</c>.</summary>
    public int SnapshotInterval { get; init; } = 1000;

    /// <summary>Most events a persistent actor sends in one journal write (what queued while the previous write was in flight).</summary>
    public int MaxMessageBatchSize { get; init; } = 200;

    /// <summary>How often live queries poll for writes of other processes.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>PostgreSQL insert method: <c>copy</c> or <c>insert</c>.</summary>
    public string PostgresInsertMode { get; init; } = "copy";

    /// <summary>Reads <c>crossmargin.persistence</c> from <paramref name="config"/>; missing keys keep their defaults.</summary>
    /// <exception cref="ArgumentException">An unknown plugin name; the message names the key and value.</exception>
    public static PersistenceSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var d = new PersistenceSettings();
        if (!config.HasPath("crossmargin.persistence"))
        {
            return d;
        }

        var c = config.GetConfig("crossmargin.persistence");
        return new PersistenceSettings
        {
            Plugin = ParsePlugin(c.GetString("plugin", "inmem") ?? "inmem"),
            ConnectionString = c.GetString("connection-string", string.Empty) ?? string.Empty,
            BatchSize = c.GetInt("batch-size", d.BatchSize),
            Parallelism = c.GetInt("parallelism", d.Parallelism),
            WriteRetries = c.GetInt("write-retries", d.WriteRetries),
            RetryBackoffMin = c.GetTimeSpan("retry-backoff-min", d.RetryBackoffMin, allowInfinite: false),
            RetryBackoffMax = c.GetTimeSpan("retry-backoff-max", d.RetryBackoffMax, allowInfinite: false),
            MaxConcurrentRecoveries = c.GetInt("max-concurrent-recoveries", d.MaxConcurrentRecoveries),
            SnapshotInterval = c.GetInt("snapshot-interval", d.SnapshotInterval),
            MaxMessageBatchSize = c.GetInt("max-message-batch-size", d.MaxMessageBatchSize),
            RefreshInterval = c.GetTimeSpan("query.refresh-interval", d.RefreshInterval, allowInfinite: false),
            PostgresInsertMode = c.GetString("postgres-insert-mode", d.PostgresInsertMode) ?? d.PostgresInsertMode,
        };
    }

    /// <summary>Parses a plugin name: <c>inmem</c>, <c>sqlite</c> or <c>postgres</c> (case-insensitive).</summary>
    public static JournalPlugin ParsePlugin(string name) => name.Trim().ToLowerInvariant() switch
    {
        "inmem" or "in-memory" or "memory" => JournalPlugin.InMemory,
        "sqlite" => JournalPlugin.Sqlite,
        "postgres" or "postgresql" => JournalPlugin.Postgres,
        _ => throw new ArgumentException($"crossmargin.persistence.plugin = \"{name}\" is not a journal plugin; use inmem, sqlite or postgres"),
    };
}
