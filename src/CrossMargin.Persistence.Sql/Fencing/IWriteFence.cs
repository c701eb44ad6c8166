using System.Data.Common;

namespace CrossMargin.Persistence.Sql.Fencing;

/// <summary>
/// A check run inside every journal write transaction, after the write lock and before any row is inserted, and inside
/// every snapshot save or delete of a <see cref="Snapshot.SqlSnapshotStore"/> opened with the same options, before the
/// snapshot row is touched. A cluster node plugs in one that refuses writes for streams whose lease (and fencing epoch)
/// it no longer holds.
/// </summary>
/// <remarks>
/// Called concurrently from the journal's writer loops; implementations must be thread-safe. Throwing
/// <see cref="WriteFencedException"/> rolls the transaction back; the group-commit writer then retries the batch's writes
/// one by one, so only the writes of fenced streams fail (each with its own <see cref="WriteFencedException"/>) and
/// unrelated writes still commit. Any other exception is classified like a database error (transient ones are retried).
/// </remarks>
public interface IWriteFence
{
    /// <summary>
    /// The writer id stored in <c>writer_uuid</c> for a new row of <paramref name="persistenceId"/>, or null to keep the
    /// persistent actor's own writer uuid. Called once per atomic write when it is queued (at most 128 characters).
    /// </summary>
    string? WriterIdFor(string persistenceId) => null;

    /// <summary>
    /// Verifies inside <paramref name="transaction"/> that the rows of <paramref name="persistenceIds"/> (distinct, in
    /// batch order; one id for a snapshot write) may be written; throws <see cref="WriteFencedException"/> naming the
    /// first refused stream.
    /// </summary>
    ValueTask CheckAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> persistenceIds, CancellationToken cancellationToken);
}
