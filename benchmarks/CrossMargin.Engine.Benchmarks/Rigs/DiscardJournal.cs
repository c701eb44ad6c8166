using CrossMargin.Persistence.Journal;

namespace CrossMargin.Engine.Benchmarks.Rigs;

/// <summary>
/// A journal that accepts every batch and keeps nothing: the engine still numbers, serializes and hashes every event
/// (that is per-tick work), but a long benchmark does not grow an in-memory journal or wait on a disk.
/// </summary>
public sealed class DiscardJournal : IJournal
{
    public Task<IReadOnlyList<WriteResult>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var results = new WriteResult[writes.Count];
        Array.Fill(results, WriteResult.Success);
        return Task.FromResult<IReadOnlyList<WriteResult>>(results);
    }

    public Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default) =>
        Task.FromResult(0L);

    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
