using System.Globalization;

namespace CrossMargin.Engine.Reporting;

/// <summary>What <c>crossmargin replay</c> asks for.</summary>
public sealed record ReplayRequest
{
    /// <summary>The journal to read.</summary>
    public required JournalTarget Journal { get; init; }

    /// <summary>Stop after this point (<c>--to</c>); null replays everything and checks the recorded hash.</summary>
    public ReplayPoint? To { get; init; }

    /// <summary>
    /// The run the journal must hold (<c>--run</c>); null accepts the journal's run. A journal (a SQLite file, a PostgreSQL
    /// schema) holds one run, so a journal holding another run is refused.
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>Start accounts from their latest snapshot at or below <see cref="To"/> when the journal has snapshots (default); false folds every event from the first (<c>--no-snapshots</c>).</summary>
    public bool UseSnapshots { get; init; } = true;

    /// <summary>How many accounts <see cref="ReplayState.Accounts"/> lists (the closest to liquidation first).</summary>
    public int TopAccounts { get; init; } = 20;
}

/// <summary>A point in a journal: a global sequence number (the journal's ordering) or a simulated instant.</summary>
/// <param name="Ordering">Replay events with ordering ≤ this; null when <paramref name="Time"/> is used.</param>
/// <param name="Time">Replay events stamped at or before this simulated instant; null when <paramref name="Ordering"/> is used.</param>
public sealed record ReplayPoint(long? Ordering, DateTimeOffset? Time)
{
    /// <summary>Parses <c>--to</c>: a positive integer is an ordering; an ISO-8601 instant (e.g. <c>2025-10-10T21:15:00Z</c>) a time, UTC when no offset is given.</summary>
    public static bool TryParse(string? text, out ReplayPoint? point)
    {
        point = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            if (seq < 1) return false;
            point = new ReplayPoint(seq, null);
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            && text.Contains('T', StringComparison.Ordinal))
        {
            point = new ReplayPoint(null, time);
            return true;
        }

        return false;
    }

    /// <summary>The point as typed: the ordering number or the ISO-8601 instant.</summary>
    public override string ToString() =>
        Ordering is { } o ? o.ToString(CultureInfo.InvariantCulture) : Time!.Value.ToString("O", CultureInfo.InvariantCulture);
}
