namespace CrossMargin.Cluster.Inbox;

/// <summary>What one purge pass of <see cref="InboxRetention"/> deleted.</summary>
/// <param name="Messages">Completed <c>cm_cluster_inbox</c> rows deleted.</param>
/// <param name="Replies">Their <c>cm_cluster_replies</c> rows deleted with them.</param>
/// <param name="Batches">Delete statements run (each its own short transaction of at most the batch size).</param>
/// <param name="Cutoff">Rows completed before this instant (database clock: <c>now() - retention</c>) were eligible.</param>
public sealed record InboxPurgeResult(long Messages, long Replies, int Batches, DateTimeOffset Cutoff);
