namespace CrossMargin.Cluster.Inbox;

/// <summary>One pending row of <c>cm_cluster_inbox</c>.</summary>
/// <param name="Id">Row id (ascending in insertion order, though a lower id may commit after a higher one).</param>
/// <param name="Target">The addressee: a resource name such as <c>shard-7</c> or <c>singleton-coordinator</c>.</param>
/// <param name="CommandId">The sender's command id: unique; a second enqueue with it is a no-op.</param>
/// <param name="Type">The command type, for the handler's dispatch.</param>
/// <param name="Payload">The serialized command.</param>
/// <param name="ReplyTo">Optional sender address; replies are keyed by command id in any case.</param>
/// <param name="EnqueuedAt">When it was enqueued (database clock).</param>
public sealed record InboxMessage(long Id, string Target, Guid CommandId, string Type, byte[] Payload, string? ReplyTo, DateTimeOffset EnqueuedAt);

/// <summary>What <see cref="ClusterInbox.EnqueueAsync"/> did.</summary>
/// <param name="Enqueued">True when a new row was written; false when the command id was already in the inbox.</param>
/// <param name="StoredReply">For a duplicate whose command already completed: the stored reply (answer it without running again).</param>
public sealed record EnqueueResult(bool Enqueued, byte[]? StoredReply)
{
    /// <summary>True for a duplicate of a command that already completed.</summary>
    public bool AlreadyCompleted => StoredReply is not null;
}
