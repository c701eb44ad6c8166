using System.Globalization;
using System.IO;
using System.Net.Sockets;
using CrossMargin.Cluster.Configuration;
using Npgsql;

namespace CrossMargin.Cluster.Schema;

/// <summary>
/// The cluster's PostgreSQL database: a connection pool, the <c>cm_cluster_*</c> tables (created idempotently on open)
/// and the recorded shard count. Every other cluster component works through one of these.
/// </summary>
/// <remarks>Thread-safe. Dispose after every component using it has stopped. Schema: docs/cluster.md.</remarks>
public sealed class ClusterStore : IAsyncDisposable
{
    /// <summary>Advisory lock key serialising schema creation across nodes ("CMCS").</summary>
    private const long SchemaLockKey = 0x434D_4353;

    private static readonly string[] SchemaStatements =
    [
        "CREATE TABLE IF NOT EXISTS cm_cluster_meta (key text PRIMARY KEY, value text NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS cm_cluster_members (
          node text PRIMARY KEY,
          incarnation uuid NOT NULL,
          address text,
          started_at timestamptz,
          heartbeat_at timestamptz NOT NULL,
          status text NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS cm_cluster_leases (
          resource text PRIMARY KEY,
          owner text,
          incarnation uuid,
          epoch bigint NOT NULL DEFAULT 0,
          expires_at timestamptz)
        """,
        """
        CREATE TABLE IF NOT EXISTS cm_cluster_inbox (
          id bigserial PRIMARY KEY,
          target text NOT NULL,
          command_id uuid NOT NULL UNIQUE,
          type text NOT NULL,
          payload bytea NOT NULL,
          reply_to text,
          enqueued_at timestamptz DEFAULT now(),
          done_at timestamptz)
        """,
        "CREATE INDEX IF NOT EXISTS cm_cluster_inbox_pending ON cm_cluster_inbox (target, id) WHERE done_at IS NULL",
        """
        CREATE TABLE IF NOT EXISTS cm_cluster_replies (
          command_id uuid PRIMARY KEY,
          payload bytea NOT NULL,
          created_at timestamptz DEFAULT now())
        """,
    ];

    private ClusterStore(NpgsqlDataSource dataSource, string target, int shardCount)
    {
        DataSource = dataSource;
        Target = target;
        ShardCount = shardCount;
    }

    /// <summary>The connection pool; open a connection per operation and dispose it promptly.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>host:port/database, for messages.</summary>
    public string Target { get; }

    /// <summary>The shard count recorded in the database (0 only when opened read-only before any node recorded one).</summary>
    public int ShardCount { get; }

    /// <summary>Opens the store for a node configured by <paramref name="settings"/>.</summary>
    /// <exception cref="ClusterUnreachableException">PostgreSQL did not answer within the configured attempts; names the target and retry timing.</exception>
    /// <exception cref="ShardCountMismatchException">The database records another shard count; names both numbers.</exception>
    public static Task<ClusterStore> OpenAsync(ClusterSettings settings, CancellationToken cancellationToken = default)
        => OpenAsync(ClusterStoreOptions.From(settings), cancellationToken);

    /// <summary>
    /// Connects (with bounded retries), creates the schema if absent, records the shard count at first open (and the
    /// <c>shard-&lt;n&gt;</c> lease rows), and refuses a different count later.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    /// <exception cref="ClusterUnreachableException">PostgreSQL did not answer within the configured attempts; names the target and retry timing.</exception>
    /// <exception cref="ShardCountMismatchException">The database records another shard count; names both numbers.</exception>
    public static async Task<ClusterStore> OpenAsync(ClusterStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Connection))
        {
            throw new ArgumentException($"the cluster connection string is empty; set {ClusterSettings.Section}.connection or {ClusterSettings.ConnectionVariable} (e.g. \"Host=127.0.0.1;Port=5432;Username=postgres;Database=crossmargin\")", nameof(options));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.Connection);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the cluster connection string is not a valid Npgsql connection string: {e.Message}", nameof(options), e);
        }

        var target = TargetOf(builder);
        var source = NpgsqlDataSource.Create(builder);
        try
        {
            var shards = await InitializeWithRetriesAsync(source, target, options, cancellationToken).ConfigureAwait(false);
            return new ClusterStore(source, target, shards);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>host:port/database of a connection string, as used in messages.</summary>
    public static string TargetOf(string connectionString) => TargetOf(new NpgsqlConnectionStringBuilder(connectionString));

    /// <summary>The database clock (<c>clock_timestamp()</c>).</summary>
    public async Task<DateTimeOffset> DatabaseNowAsync(CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand("SELECT clock_timestamp()");
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return new DateTimeOffset((DateTime)value!, TimeSpan.Zero);
    }

    /// <summary>True when <paramref name="error"/> is a lost or refused connection, or a server going down: worth retrying later.</summary>
    public static bool IsTransient(Exception error)
        => error is NpgsqlException { IsTransient: true }
            || error is NpgsqlException { InnerException: IOException or SocketException or TimeoutException }
            || error is NpgsqlException and not PostgresException
            || error is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08000" or "08003" or "08006" or "08001" or "08004" or "40001" or "40P01" }
            || error is SocketException or IOException or TimeoutException;

    /// <summary>Closes the pool.</summary>
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private static string TargetOf(NpgsqlConnectionStringBuilder builder)
        => $"{builder.Host ?? "localhost"}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{builder.Database ?? builder.Username ?? "postgres"}";

    private static async Task<int> InitializeWithRetriesAsync(NpgsqlDataSource source, string target, ClusterStoreOptions options, CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, options.ConnectAttempts);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await InitializeAsync(source, target, options.ShardCount, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is PostgresException { SqlState: "3D000" or "28P01" or "28000" })
            {
                // Missing database or refused credentials: retrying will not help.
                throw new ClusterUnreachableException(target, attempt, options.ConnectRetryInterval, e);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= attempts)
                {
                    throw new ClusterUnreachableException(target, attempt, options.ConnectRetryInterval, e);
                }

                await Task.Delay(options.ConnectRetryInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> InitializeAsync(NpgsqlDataSource source, string target, int? shardCount, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(connection, tx, $"SELECT pg_advisory_xact_lock({SchemaLockKey})", cancellationToken).ConfigureAwait(false);
        foreach (var statement in SchemaStatements)
        {
            await ExecAsync(connection, tx, statement, cancellationToken).ConfigureAwait(false);
        }

        int recorded;
        await using (var read = new NpgsqlCommand("SELECT value FROM cm_cluster_meta WHERE key = 'shard_count'", connection, tx))
        {
            var value = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            recorded = value is string text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : 0;
        }

        if (recorded == 0 && shardCount is { } wanted)
        {
            await using (var write = new NpgsqlCommand("INSERT INTO cm_cluster_meta (key, value) VALUES ('shard_count', @v)", connection, tx))
            {
                write.Parameters.AddWithValue("v", wanted.ToString(CultureInfo.InvariantCulture));
                await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var rows = new NpgsqlCommand("INSERT INTO cm_cluster_leases (resource) SELECT 'shard-' || g FROM generate_series(0, @n - 1) AS g ON CONFLICT (resource) DO NOTHING", connection, tx))
            {
                rows.Parameters.AddWithValue("n", wanted);
                await rows.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            recorded = wanted;
        }
        else if (shardCount is { } configured && configured != recorded)
        {
            throw new ShardCountMismatchException(target, recorded, configured);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return recorded;
    }

    private static async Task ExecAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
