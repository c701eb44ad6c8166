using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Domain;

namespace CrossMargin.Cluster.Messaging;

/// <summary>
/// Sends engine commands to the cluster through the durable inboxes and waits for their replies: account messages go
/// to <c>shard-&lt;ShardOf(account)&gt;</c>, ticks to <c>singleton-feed-&lt;SYMBOL&gt;</c>. Sending again with the same
/// command id is always safe (a duplicate is not run twice; a completed one is answered from its stored reply).
/// </summary>
/// <remarks>Thread-safe. Used by tests, <c>cluster loadgen</c> and any tool that drives a running cluster.</remarks>
public sealed class ClusterClient
{
    private readonly ClusterInbox _inbox;

    /// <summary>Creates a client over <paramref name="inbox"/> for a cluster of <paramref name="shardCount"/> shards.</summary>
    public ClusterClient(ClusterInbox inbox, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        _inbox = inbox;
        ShardCount = shardCount;
    }

    /// <summary>Shards in the cluster.</summary>
    public int ShardCount { get; }

    /// <summary>The inbox target of <paramref name="message"/>.</summary>
    /// <exception cref="UnsupportedMessageException">The message has no target (e.g. a reply type).</exception>
    public static string TargetOf(object message, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message switch
        {
            AccountCommand c => ClusterResources.Shard(ShardMap.ShardOf(c.AccountId, shardCount)),
            IAccountWireMessage m => ClusterResources.Shard(ShardMap.ShardOf(m.AccountId, shardCount)),
            IndexTickMessage t => ClusterResources.Feed(t.Symbol),
            RoundFlowMessage f => ClusterResources.Feed(f.Symbol),
            LiquidationRequestMessage or AccountUpdatedMessage => ClusterResources.Coordinator,
            _ => throw new UnsupportedMessageException(message.GetType()),
        };
    }

    /// <summary>Enqueues <paramref name="message"/> under <paramref name="commandId"/> without waiting; true when newly enqueued.</summary>
    public async Task<bool> EnqueueAsync(object message, Guid commandId, CancellationToken cancellationToken = default)
    {
        var (type, payload) = MessageCodec.Encode(message);
        var result = await _inbox.EnqueueAsync(TargetOf(message, ShardCount), commandId, type, payload, null, cancellationToken).ConfigureAwait(false);
        return result.Enqueued;
    }

    /// <summary>
    /// Enqueues (idempotently) and waits for the decoded reply: a <see cref="CommandReply"/>, <see cref="EventAppliedReply"/>,
    /// <see cref="AccountView"/>, <see cref="TickAccepted"/> or <see cref="MessageError"/>.
    /// </summary>
    /// <exception cref="InboxTimeoutException">No reply within <paramref name="timeout"/>; the command stays queued.</exception>
    public async Task<object> RequestAsync(object message, Guid commandId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var (type, payload) = MessageCodec.Encode(message);
        var reply = await _inbox.RequestAsync(TargetOf(message, ShardCount), commandId, type, payload, timeout, cancellationToken).ConfigureAwait(false);
        return MessageCodec.DecodeReply(reply);
    }

    /// <summary>As <see cref="RequestAsync"/>, expecting a reply of type <typeparamref name="T"/>.</summary>
    /// <exception cref="UnexpectedReplyException">The reply was of another type (a <see cref="MessageError"/>, say); the message quotes it.</exception>
    public async Task<T> RequestAsync<T>(object message, Guid commandId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(message, commandId, timeout, cancellationToken).ConfigureAwait(false);
        return reply is T t ? t : throw new UnexpectedReplyException(typeof(T), reply);
    }
}

/// <summary>A reply of another type than the caller expected (often a <see cref="MessageError"/>); the message shows it.</summary>
public sealed class UnexpectedReplyException(Type expected, object reply)
    : Exception($"expected a {expected.Name} reply, got {reply}")
{
    /// <summary>The reply received.</summary>
    public object Reply { get; } = reply;
}
