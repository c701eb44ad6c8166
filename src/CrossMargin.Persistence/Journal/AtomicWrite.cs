namespace CrossMargin.Persistence.Journal;

/// <summary>
/// Events of one persistence id that are stored all together or not at all (one <c>PersistAll</c>).
/// </summary>
/// <remarks>The events must share one persistence id and carry contiguous, ascending sequence numbers.</remarks>
public sealed class AtomicWrite
{
    /// <summary>Validates and wraps <paramref name="events"/>.</summary>
    /// <exception cref="ArgumentException">Empty, mixed persistence ids, or non-contiguous sequence numbers.</exception>
    public AtomicWrite(IReadOnlyList<PersistentRepr> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("an atomic write needs at least one event", nameof(events));
        }

        var first = events[0];
        if (first.SequenceNr < 1)
        {
            throw new ArgumentException($"sequence numbers start at 1; {first.PersistenceId} got {first.SequenceNr}", nameof(events));
        }

        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].PersistenceId != first.PersistenceId)
            {
                throw new ArgumentException($"an atomic write holds one persistence id; got '{first.PersistenceId}' and '{events[i].PersistenceId}'", nameof(events));
            }

            if (events[i].SequenceNr != first.SequenceNr + i)
            {
                throw new ArgumentException($"sequence numbers of {first.PersistenceId} must be contiguous; position {i} has {events[i].SequenceNr}, expected {first.SequenceNr + i}", nameof(events));
            }
        }

        Events = events;
    }

    /// <summary>Wraps a single event.</summary>
    public AtomicWrite(PersistentRepr single)
        : this(new[] { single })
    {
    }

    /// <summary>The events, in sequence-number order.</summary>
    public IReadOnlyList<PersistentRepr> Events { get; }

    /// <summary>The persistence id all events share.</summary>
    public string PersistenceId => Events[0].PersistenceId;

    /// <summary>Lowest sequence number in the write.</summary>
    public long LowestSequenceNr => Events[0].SequenceNr;

    /// <summary>Highest sequence number in the write.</summary>
    public long HighestSequenceNr => Events[^1].SequenceNr;
}
