namespace CrossMargin.Engine.Reporting;

/// <summary>Read-only views of a journal: the engine side of <c>crossmargin journal list | show | tail | stats</c>.</summary>
/// <remarks>Never writes. Methods may be called concurrently. Errors about the journal itself (missing file, other schema version) are <see cref="RunInputException"/>.</remarks>
public interface IJournalInspector
{
    /// <summary>Every persistence id in the journal with its event count and highest sequence number, ordered by persistence id.</summary>
    Task<IReadOnlyList<JournalStreamSummary>> ListAsync(JournalTarget journal, CancellationToken cancellationToken);

    /// <summary>The events of one account, in sequence order.</summary>
    /// <param name="journal">The journal.</param>
    /// <param name="account">An account id or a full persistence id.</param>
    /// <param name="fromSequenceNr">First sequence number to return (1 for all).</param>
    /// <param name="limit">At most this many events.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="RunInputException">No such account in the journal.</exception>
    Task<IReadOnlyList<JournalEntryView>> ShowAsync(JournalTarget journal, string account, long fromSequenceNr, int limit, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="count"/> events in ordering order, then, when <paramref name="follow"/> is set, new events as they are written until cancelled.</summary>
    IAsyncEnumerable<JournalEntryView> TailAsync(JournalTarget journal, int count, bool follow, CancellationToken cancellationToken);

    /// <summary>Counts and ranges of the whole journal.</summary>
    Task<JournalStats> StatsAsync(JournalTarget journal, CancellationToken cancellationToken);
}
