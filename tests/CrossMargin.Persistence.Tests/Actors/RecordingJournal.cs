using System.Collections.Concurrent;
using CrossMargin.Persistence.Journal;

namespace CrossMargin.Persistence.Tests.Actors;

/// <summary>Records the event count of every WriteMessagesAsync call, then delegates.</summary>
public sealed class RecordingJournal(IJournal inner) : IJournal
{
    public ConcurrentQueue<int> WriteCalls { get; } = new();

    public Task<IReadOnlyList<WriteResult>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default)
    {
        WriteCalls.Enqueue(writes.Sum(w => w.Events.Count));
        return inner.WriteMessagesAsync(writes, cancellationToken);
    }

    public Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default)
        => inner.ReplayMessagesAsync(persistenceId, fromSequenceNr, toSequenceNr, max, onEvent, cancellationToken);

    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default)
        => inner.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);

    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
        => inner.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
