using System.Runtime.CompilerServices;
using CrossMargin.Cluster.Configuration;
using CrossMargin.Cluster.Fencing;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Schema;
using Npgsql;
using Serilog;

namespace CrossMargin.Cluster.Inbox;

/// <summary>
/// Durable per-target inboxes in <c>cm_cluster_inbox</c> with replies in <c>cm_cluster_replies</c>: delivery at least
/// once, de-duplicated by command id, woken by LISTEN/NOTIFY with a fallback poll.
/// </summary>
/// <remarks>
/// <para>Sender: <see cref="RequestAsync"/> (or <see cref="EnqueueAsync"/> then <see cref="AwaitReplyAsync"/>). A
/// duplicate enqueue is a no-op; a duplicate of a completed command is answered from the stored reply.</para>
/// <para>Receiver (the target's lease holder): <see cref="ConsumeAsync"/> yields each pending message once per consumer;
/// handle it, then <see cref="CompleteAsync(InboxMessage, byte[], Lease?, CancellationToken)"/> stores the reply and
/// marks it done in one transaction (optionally fenced by the target's lease) and notifies the sender. Complete only
/// once the effect is journaled; a message not completed is delivered again to the next owner.</para>
/// <para>Completed messages and their replies are deleted by <see cref="InboxRetention"/> once older than
/// <c>crossmargin.cluster.inbox.retention</c>; after that a re-sent command id counts as new.</para>
/// <para>Thread-safe. One LISTEN connection per instance, opened on first use.</para>
/// </remarks>
public sealed class ClusterInbox : IAsyncDisposable
{
    private const int PageSize = 256;

    private readonly ClusterStore _store;
    private readonly InboxNotifications _notifications;

    /// <summary>Creates the inbox client with fallback poll <paramref name="pollInterval"/>.</summary>
    public ClusterInbox(ClusterStore store, TimeSpan pollInterval, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pollInterval, TimeSpan.Zero);
        _store = store;
        PollInterval = pollInterval;
        _notifications = new InboxNotifications(store.DataSource, pollInterval, (log ?? Serilog.Log.Logger).ForContext<ClusterInbox>());
    }

    /// <summary>Creates the inbox client with the poll interval of <paramref name="settings"/>.</summary>
    public ClusterInbox(ClusterStore store, ClusterSettings settings, ILogger? log = null)
        : this(store, (settings ?? throw new ArgumentNullException(nameof(settings))).InboxPollInterval, log)
    {
    }

    /// <summary>Fallback poll interval when no notification arrives.</summary>
    public TimeSpan PollInterval { get; }

    /// <summary>
    /// Writes the command to <paramref name="target"/>'s inbox unless its <paramref name="commandId"/> is already there,
    /// and notifies the target. For a duplicate of a completed command, returns the stored reply.
    /// </summary>
    public async Task<EnqueueResult> EnqueueAsync(string target, Guid commandId, string type, byte[] payload, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(payload);
        await using (var command = _store.DataSource.CreateCommand(
            """
            WITH ins AS (
              INSERT INTO cm_cluster_inbox (target, command_id, type, payload, reply_to) VALUES (@t, @c, @y, @p, @r)
              ON CONFLICT (command_id) DO NOTHING RETURNING id)
            SELECT id, pg_notify('cm_inbox', @t) FROM ins
            """))
        {
            command.Parameters.AddWithValue("t", target);
            command.Parameters.AddWithValue("c", commandId);
            command.Parameters.AddWithValue("y", type);
            command.Parameters.AddWithValue("p", payload);
            command.Parameters.AddWithValue("r", (object?)replyTo ?? DBNull.Value);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long)
            {
                return new EnqueueResult(true, null);
            }
        }

        return new EnqueueResult(false, await TryGetReplyAsync(commandId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Enqueues (idempotently) and waits for the reply; a command completed earlier is answered from its stored reply.
    /// </summary>
    /// <exception cref="InboxTimeoutException">No reply within <paramref name="timeout"/>; the command stays queued.</exception>
    public async Task<byte[]> RequestAsync(string target, Guid commandId, string type, byte[] payload, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // Register for the reply before enqueueing, so a fast completion's notification is not missed.
        var wake = _notifications.ReplyWake(commandId);
        try
        {
            var result = await EnqueueAsync(target, commandId, type, payload, null, cancellationToken).ConfigureAwait(false);
            if (result.StoredReply is { } stored)
            {
                return stored;
            }

            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout);
            try
            {
                return await WaitForReplyAsync(commandId, wake, timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InboxTimeoutException(commandId, target, timeout);
            }
        }
        finally
        {
            _notifications.ForgetReply(commandId);
        }
    }

    /// <summary>The stored reply of <paramref name="commandId"/>, or null when it has not completed.</summary>
    public async Task<byte[]?> TryGetReplyAsync(Guid commandId, CancellationToken cancellationToken = default)
    {
        await using var command = _store.DataSource.CreateCommand("SELECT payload FROM cm_cluster_replies WHERE command_id = @c");
        command.Parameters.AddWithValue("c", commandId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    /// <summary>Waits (NOTIFY, with the fallback poll) until <paramref name="commandId"/> has a reply; cancel to give up.</summary>
    public async Task<byte[]> AwaitReplyAsync(Guid commandId, CancellationToken cancellationToken = default)
    {
        var wake = _notifications.ReplyWake(commandId);
        try
        {
            return await WaitForReplyAsync(commandId, wake, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _notifications.ForgetReply(commandId);
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> pending messages of <paramref name="target"/> in id order, skipping the ids in
    /// <paramref name="excluding"/> (those already handed out and not yet completed).
    /// </summary>
    public async Task<IReadOnlyList<InboxMessage>> ReadPendingAsync(string target, int max, IReadOnlyCollection<long>? excluding = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await using var command = _store.DataSource.CreateCommand(
            """
            SELECT id, target, command_id, type, payload, reply_to, enqueued_at FROM cm_cluster_inbox
            WHERE target = @t AND done_at IS NULL AND NOT (id = ANY(@x)) ORDER BY id LIMIT @n
            """);
        command.Parameters.AddWithValue("t", target);
        command.Parameters.AddWithValue("x", (excluding ?? []).ToArray());
        command.Parameters.AddWithValue("n", max);
        var result = new List<InboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new InboxMessage(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetGuid(2),
                reader.GetString(3),
                reader.GetFieldValue<byte[]>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc), TimeSpan.Zero)));
        }

        return result;
    }

    /// <summary>
    /// Yields every pending message of <paramref name="target"/> once (in id order per read), waiting for new ones on
    /// NOTIFY or the fallback poll, until cancelled. A message yielded and never completed is not yielded again by this
    /// consumer (the next owner's consumer gets it). Transient database errors are retried after the poll interval.
    /// </summary>
    public async IAsyncEnumerable<InboxMessage> ConsumeAsync(string target, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var delivered = new HashSet<long>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = _notifications.TargetWake(target);
            IReadOnlyList<InboxMessage> page;
            try
            {
                page = await ReadPendingAsync(target, PageSize, delivered, cancellationToken).ConfigureAwait(false);
                if (delivered.Count > 0)
                {
                    await ForgetCompletedAsync(delivered, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && ClusterStore.IsTransient(e))
            {
                page = [];
            }

            foreach (var message in page)
            {
                delivered.Add(message.Id);
                yield return message;
            }

            if (page.Count < PageSize)
            {
                await WaitAsync(wake, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stores <paramref name="reply"/> for the message's command and marks the message done, in one transaction, then
    /// notifies the sender. When <paramref name="fence"/> is given the transaction first checks that lease is still
    /// live with its epoch (a stale owner cannot complete). Returns false when the message was already done (the first
    /// reply stays) or is gone (purged by <see cref="InboxRetention"/>); then nothing is stored, so a late completion
    /// never leaves a reply without its message.
    /// </summary>
    /// <exception cref="Persistence.Sql.Fencing.WriteFencedException">The fence lease is gone: nothing was stored.</exception>
    public async Task<bool> CompleteAsync(InboxMessage message, byte[] reply, Lease? fence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reply);
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (fence is not null)
        {
            await EpochFence.EnsureLiveAsync(connection, tx, [fence], $"inbox message {message.Id} ({message.CommandId})", cancellationToken).ConfigureAwait(false);
        }

        int updated;
        await using (var done = new NpgsqlCommand("UPDATE cm_cluster_inbox SET done_at = now() WHERE id = @id AND done_at IS NULL", connection, tx))
        {
            done.Parameters.AddWithValue("id", message.Id);
            updated = await done.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Only the completion that marked the row done stores the reply: an already-done row has its reply (same
        // transaction), and a purged one must not get an orphan reply that the retention would never delete.
        if (updated > 0)
        {
            await using var store = new NpgsqlCommand("INSERT INTO cm_cluster_replies (command_id, payload) VALUES (@c, @p) ON CONFLICT (command_id) DO NOTHING", connection, tx);
            store.Parameters.AddWithValue("c", message.CommandId);
            store.Parameters.AddWithValue("p", reply);
            await store.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var notify = new NpgsqlCommand("SELECT pg_notify('cm_reply', @c)", connection, tx))
        {
            notify.Parameters.AddWithValue("c", message.CommandId.ToString("D"));
            await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return updated > 0;
    }

    /// <summary>As <see cref="CompleteAsync(InboxMessage, byte[], Lease?, CancellationToken)"/> without a fence.</summary>
    public Task<bool> CompleteAsync(InboxMessage message, byte[] reply, CancellationToken cancellationToken = default)
        => CompleteAsync(message, reply, null, cancellationToken);

    /// <summary>Pending (not done) messages per target, for status displays.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> PendingCountsAsync(ClusterStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var command = store.DataSource.CreateCommand("SELECT target, count(*) FROM cm_cluster_inbox WHERE done_at IS NULL GROUP BY target");
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
    }

    /// <summary>Closes the LISTEN connection.</summary>
    public ValueTask DisposeAsync() => _notifications.DisposeAsync();

    private async Task<byte[]> WaitForReplyAsync(Guid commandId, Task wake, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await TryGetReplyAsync(commandId, cancellationToken).ConfigureAwait(false) is { } reply)
            {
                return reply;
            }

            await WaitAsync(wake, cancellationToken).ConfigureAwait(false);
            wake = _notifications.ReplyWake(commandId);
        }
    }

    private async Task WaitAsync(Task wake, CancellationToken cancellationToken)
    {
        // Woken by NOTIFY, or after the poll interval in case a notification was lost (reconnect, other database).
        try
        {
            await wake.WaitAsync(PollInterval, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The fallback poll.
        }
    }

    private async Task ForgetCompletedAsync(HashSet<long> delivered, CancellationToken cancellationToken)
    {
        // Done, or gone altogether (purged by the retention): either way it will not be pending again.
        await using var command = _store.DataSource.CreateCommand(
            "SELECT d.id FROM unnest(@x) AS d(id) WHERE NOT EXISTS (SELECT 1 FROM cm_cluster_inbox i WHERE i.id = d.id AND i.done_at IS NULL)");
        command.Parameters.AddWithValue("x", delivered.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            delivered.Remove(reader.GetInt64(0));
        }
    }
}
