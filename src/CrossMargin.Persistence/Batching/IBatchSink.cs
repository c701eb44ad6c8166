using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Persistence.Batching;

/// <summary>The storage side of a <see cref="GroupCommitWriter"/>: writes a batch in one transaction and classifies errors.</summary>
public interface IBatchSink
{
    /// <summary>Stores every row in one transaction: all or none. Called by one writer loop at a time per loop.</summary>
    Task WriteBatchAsync(IReadOnlyList<SerializedEvent> rows, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="error"/> is a violation of the (persistence id, sequence number) key.</summary>
    bool IsUniqueViolation(Exception error);

    /// <summary>True when <paramref name="error"/> may go away on retry (lost connection, busy database).</summary>
    bool IsTransient(Exception error);

    /// <summary>
    /// True when every row of <paramref name="write"/> is already stored by the same writer uuid: an earlier attempt
    /// committed but its acknowledgement was lost, so the retry must count as success, not as a duplicate.
    /// </summary>
    Task<bool> IsAlreadyStoredAsync(IReadOnlyList<SerializedEvent> write, CancellationToken cancellationToken);
}
