using System.Runtime.CompilerServices;

namespace CrossMargin.Persistence.Query;

/// <summary>Turns page-fetching functions into current and live query streams, shared by every plugin.</summary>
public static class QueryPaging
{
    /// <summary>Fetches up to <c>limit</c> events with ordering greater than the given offset, ascending.</summary>
    public delegate Task<IReadOnlyList<EventEnvelope>> OrderingPage(long afterOrdering, int limit, CancellationToken cancellationToken);

    /// <summary>Fetches up to <c>limit</c> events of a stream with sequence number in [from, to], ascending.</summary>
    public delegate Task<IReadOnlyList<EventEnvelope>> SequencePage(long fromSequenceNr, long toSequenceNr, int limit, CancellationToken cancellationToken);

    /// <summary>Pages through events by ordering; when <paramref name="live"/>, waits for <paramref name="changed"/> or the refresh interval at the end.</summary>
    public static async IAsyncEnumerable<EventEnvelope> ByOrdering(
        OrderingPage fetch, long offset, int pageSize, bool live, ChangeSignal changed, TimeSpan refreshInterval,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(changed);
        var position = offset;
        while (true)
        {
            // Take the wait handle before reading so a write that lands during the read still wakes us.
            var wake = changed.NextChange;
            var page = await fetch(position, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var envelope in page)
            {
                position = envelope.Offset;
                yield return envelope;
            }

            if (page.Count == pageSize)
            {
                continue;
            }

            if (!live)
            {
                yield break;
            }

            await ChangeSignal.WaitAsync(wake, refreshInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Pages through one stream by sequence number; live mode follows it until <paramref name="toSequenceNr"/>.</summary>
    public static async IAsyncEnumerable<EventEnvelope> BySequence(
        SequencePage fetch, long fromSequenceNr, long toSequenceNr, int pageSize, bool live, ChangeSignal changed, TimeSpan refreshInterval,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(changed);
        var next = Math.Max(1, fromSequenceNr);
        while (next <= toSequenceNr)
        {
            var wake = changed.NextChange;
            var page = await fetch(next, toSequenceNr, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var envelope in page)
            {
                next = envelope.SequenceNr + 1;
                yield return envelope;
            }

            if (page.Count == pageSize)
            {
                continue;
            }

            if (!live)
            {
                yield break;
            }

            await ChangeSignal.WaitAsync(wake, refreshInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
