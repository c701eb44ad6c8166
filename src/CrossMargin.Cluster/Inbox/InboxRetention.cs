using CrossMargin.Cluster.Configuration;
using CrossMargin.Cluster.Schema;
using Serilog;

namespace CrossMargin.Cluster.Inbox;

/// <summary>
/// Retention of the inbox: deletes completed <c>cm_cluster_inbox</c> rows whose <c>done_at</c> is older than
/// <see cref="Retention"/> (database clock), together with their <c>cm_cluster_replies</c> rows, in bounded batches.
/// Pending rows are never touched. Run <see cref="Start"/> for the periodic purge, or call <see cref="PurgeOnceAsync"/>.
/// </summary>
/// <remarks>
/// <para>Safe on every node at once: each batch is one statement that picks its rows with <c>FOR UPDATE SKIP LOCKED</c>
/// (concurrent purges take disjoint rows and never wait for each other) and deletes the rows and their replies in the
/// same transaction, so a reply never outlives its message nor goes before it. Each batch holds at most
/// <see cref="BatchSize"/> row locks for one statement, so a long backlog is worked off in many short transactions.</para>
/// <para>Exactly-once: inside the retention a re-sent command id is a no-op answered from the stored reply; once its row
/// is purged, the same id is enqueued and delivered again, and only the target's journaled receipts (an account
/// remembers its last <c>NodeOptions.ReceiptMemory</c> delivery ids) stop a second effect. Keep the retention longer
/// than any client's retry window. See docs/cluster.md, "Retention".</para>
/// <para>Thread-safe. The loop logs and retries failures at its next tick; <see cref="DisposeAsync"/> stops it.</para>
/// </remarks>
public sealed class InboxRetention : IAsyncDisposable
{
    /// <summary>Rows deleted per statement unless <see cref="BatchSize"/> says otherwise.</summary>
    public const int DefaultBatchSize = 1000;

    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(1);

    private readonly ClusterStore _store;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _startGate = new();
    private readonly int _batchSize = DefaultBatchSize;
    private readonly TimeSpan _interval;
    private Task? _loop;
    private int _disposed;

    /// <summary>Creates the purge for completed messages older than <paramref name="retention"/>; nothing runs until <see cref="Start"/>.</summary>
    public InboxRetention(ClusterStore store, TimeSpan retention, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (retention <= TimeSpan.Zero || retention == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(retention), retention, "the inbox retention must be a positive, finite duration");
        }

        _store = store;
        Retention = retention;
        _interval = DefaultInterval(retention);
        _log = (log ?? Serilog.Log.Logger).ForContext<InboxRetention>();
    }

    /// <summary>Creates the purge with <see cref="ClusterSettings.InboxRetention"/> of <paramref name="settings"/>.</summary>
    public InboxRetention(ClusterStore store, ClusterSettings settings, ILogger? log = null)
        : this(store, (settings ?? throw new ArgumentNullException(nameof(settings))).InboxRetention, log)
    {
    }

    /// <summary>Completed messages and their replies are kept at least this long after completion.</summary>
    public TimeSpan Retention { get; }

    /// <summary>Time between purge passes of <see cref="Start"/>; default <see cref="DefaultInterval"/> of the retention.</summary>
    public TimeSpan Interval
    {
        get => _interval;
        init => _interval = value > TimeSpan.Zero && value != Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Interval), value, "the purge interval must be a positive, finite duration");
    }

    /// <summary>Most rows one delete statement removes (its transaction's row locks); at least 1. Default 1000.</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "the purge batch size must be at least 1");
    }

    /// <summary>A quarter of the retention, between 1 second and 1 minute: a row outlives its retention by at most that.</summary>
    public static TimeSpan DefaultInterval(TimeSpan retention)
    {
        var quarter = retention / 4;
        return quarter < MinInterval ? MinInterval : quarter > MaxInterval ? MaxInterval : quarter;
    }

    /// <summary>
    /// Starts the periodic purge: the first pass after a random part of <see cref="Interval"/> (so nodes started
    /// together spread out), then one pass per interval. Calling it again does nothing.
    /// </summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_loop is null)
        {
            lock (_startGate)
            {
                _loop ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// One pass: deletes every completed message whose <c>done_at</c> is before <c>now() - retention</c> (database
    /// clock), with its reply, in batches of <see cref="BatchSize"/> (one short transaction each), until a batch finds
    /// fewer rows. Rows another purge has locked are left to it. Returns what was deleted.
    /// </summary>
    public async Task<InboxPurgeResult> PurgeOnceAsync(CancellationToken cancellationToken = default)
    {
        var (cutoff, bound) = await CutoffAsync(cancellationToken).ConfigureAwait(false);
        long messages = 0, replies = 0, after = 0;
        var batches = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (deleted, lastId, repliesDeleted) = await DeleteBatchAsync(cutoff, after, bound, cancellationToken).ConfigureAwait(false);
            batches++;
            messages += deleted;
            replies += repliesDeleted;
            if (deleted < _batchSize)
            {
                break;
            }

            // Go on after the last deleted id, so a batch never rescans the dead rows of the batches before it.
            after = lastId;
        }

        return new InboxPurgeResult(messages, replies, batches, new DateTimeOffset(cutoff, TimeSpan.Zero));
    }

    /// <summary>Stops the periodic purge (an interrupted batch rolls back) and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <summary>
    /// The cutoff <c>now() - retention</c> and an upper bound on the ids worth scanning: the first id enqueued at or after
    /// the cutoff. A row is completed after it was enqueued, so rows from that id on cannot be old enough yet (ids follow
    /// enqueue order up to concurrent inserts; a straggler is taken by the next pass). The bound keeps each batch's index
    /// scan to the old end of the table instead of walking every recent row.
    /// </summary>
    private async Task<(DateTime Cutoff, long Bound)> CutoffAsync(CancellationToken cancellationToken)
    {
        await using var command = _store.DataSource.CreateCommand(
            """
            SELECT now() - @r, (SELECT id FROM cm_cluster_inbox WHERE enqueued_at >= now() - @r ORDER BY id LIMIT 1)
            """);
        command.Parameters.AddWithValue("r", Retention);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = reader.GetFieldValue<DateTime>(0);
        var bound = reader.IsDBNull(1) ? long.MaxValue : reader.GetInt64(1);
        return (cutoff, bound);
    }

    private async Task<(long Deleted, long LastId, long Replies)> DeleteBatchAsync(DateTime cutoff, long after, long bound, CancellationToken cancellationToken)
    {
        // One statement, one transaction: pick old completed rows (skipping rows another purge holds), delete them and
        // their replies together.
        await using var command = _store.DataSource.CreateCommand(
            """
            WITH victims AS (
              SELECT id FROM cm_cluster_inbox
              WHERE id > @after AND id < @bound AND done_at < @cutoff
              ORDER BY id LIMIT @n
              FOR UPDATE SKIP LOCKED),
            gone AS (
              DELETE FROM cm_cluster_inbox i USING victims v WHERE i.id = v.id RETURNING i.id, i.command_id),
            replies AS (
              DELETE FROM cm_cluster_replies r USING gone g WHERE r.command_id = g.command_id RETURNING 1)
            SELECT (SELECT count(*) FROM gone), (SELECT coalesce(max(id), 0) FROM gone), (SELECT count(*) FROM replies)
            """);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("bound", bound);
        command.Parameters.AddWithValue("cutoff", cutoff);
        command.Parameters.AddWithValue("n", _batchSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Spread the first pass of nodes started together; the purge is correct either way.
            await Task.Delay(_interval * Random.Shared.NextDouble(), cancellationToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(_interval);
            do
            {
                await PassAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await PurgeOnceAsync(cancellationToken).ConfigureAwait(false);
            if (result.Messages > 0)
            {
                _log.Information(
                    "Inbox retention: deleted {Messages} completed message(s) and {Replies} reply(ies) completed before {Cutoff:O} in {Batches} batch(es)",
                    result.Messages, result.Replies, result.Cutoff, result.Batches);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The database may be restarting (transient) or something is wrong; either way the next pass tries again.
            if (ClusterStore.IsTransient(e))
            {
                _log.Warning("Inbox retention: purge failed, retrying in {Interval}: {Error}", ClusterSettings.Show(_interval), e.Message);
            }
            else
            {
                _log.Error(e, "Inbox retention: purge failed, retrying in {Interval}", ClusterSettings.Show(_interval));
            }
        }
    }
}
