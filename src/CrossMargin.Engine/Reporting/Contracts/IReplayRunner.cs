using System.Globalization;

namespace CrossMargin.Engine.Reporting;

/// <summary>Rebuilds every actor of a journaled run from snapshots and events: the engine side of <c>crossmargin replay</c>.</summary>
/// <remarks>Read-only: a replay never writes to the journal. One call at a time per instance.</remarks>
public interface IReplayRunner
{
    /// <summary>Replays <paramref name="request"/>'s journal up to its bound (or the end) and hashes the rebuilt state.</summary>
    /// <param name="request">What to replay.</param>
    /// <param name="progress">Receives events replayed so far (from any thread); may be a no-op.</param>
    /// <param name="cancellationToken">Ctrl-C; replay stops and throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="RunInputException">The journal is missing, empty, or of another schema version.</exception>
    Task<ReplayResult> ReplayAsync(ReplayRequest request, IProgress<ReplayProgress> progress, CancellationToken cancellationToken);
}

/// <summary>What <c>crossmargin replay</c> asks for.</summary>
public sealed record ReplayRequest
{
    /// <summary>The journal to read.</summary>
    public required JournalTarget Journal { get; init; }

    /// <summary>Stop after this point (<c>--to</c>); null replays everything and checks the recorded hash.</summary>
    public ReplayPoint? To { get; init; }

    /// <summary>The run to replay in a journal that holds several (PostgreSQL); null for the only or latest run.</summary>
    public string? RunId { get; init; }

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

/// <summary>Events replayed so far.</summary>
/// <param name="EventsReplayed">Events applied so far.</param>
/// <param name="TotalEvents">Events to replay, when known.</param>
public readonly record struct ReplayProgress(long EventsReplayed, long? TotalEvents);

/// <summary>The outcome of a replay.</summary>
/// <param name="StateHash">Hash of the rebuilt state, lower-case hex.</param>
/// <param name="RecordedHash">The hash recorded when the run ended; null when the run did not finish or a <c>--to</c> bound was given (nothing to compare).</param>
/// <param name="EventsReplayed">Events applied.</param>
/// <param name="ActorsRebuilt">Persistent actors rebuilt (accounts, feeds, coordinator).</param>
/// <param name="SnapshotsUsed">Snapshots loaded instead of replaying from the first event.</param>
/// <param name="State">The state reached.</param>
public sealed record ReplayResult(string StateHash, string? RecordedHash, long EventsReplayed, long ActorsRebuilt, long SnapshotsUsed, ReplayState State)
{
    /// <summary>True when a recorded hash exists and equals <see cref="StateHash"/> (case-insensitive); false when it differs; null when there was nothing to compare.</summary>
    public bool? HashMatches => RecordedHash is null ? null : string.Equals(RecordedHash, StateHash, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The system's state at the end of a replay.</summary>
/// <param name="SimulatedTime">Simulated instant of the last event applied.</param>
/// <param name="LastOrdering">Ordering of the last event applied.</param>
/// <param name="InsuranceFund">Insurance fund balance.</param>
/// <param name="Instruments">Mark price and open interest per instrument, ordered by symbol.</param>
/// <param name="Accounts">The accounts closest to liquidation (highest margin ratio first), at most <see cref="ReplayRequest.TopAccounts"/>.</param>
/// <param name="AccountCount">Accounts in the system.</param>
public sealed record ReplayState(DateTimeOffset SimulatedTime, long LastOrdering, decimal InsuranceFund, IReadOnlyList<InstrumentState> Instruments, IReadOnlyList<AccountState> Accounts, long AccountCount);

/// <summary>One instrument at a point of a replay.</summary>
/// <param name="Instrument">Symbol.</param>
/// <param name="Index">Index price.</param>
/// <param name="Mark">Mark price.</param>
/// <param name="LongOpenInterest">Sum of long quantities.</param>
/// <param name="ShortOpenInterest">Sum of short quantities (positive).</param>
public sealed record InstrumentState(string Instrument, decimal Index, decimal Mark, decimal LongOpenInterest, decimal ShortOpenInterest);

/// <summary>One account at a point of a replay.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Equity">Collateral value after haircuts plus unrealized PnL.</param>
/// <param name="MaintenanceMargin">Maintenance margin required.</param>
/// <param name="Positions">Open positions.</param>
/// <param name="Fate">Fate so far.</param>
public sealed record AccountState(string AccountId, decimal Equity, decimal MaintenanceMargin, int Positions, AccountFate Fate)
{
    /// <summary>Maintenance margin ÷ equity (1 = liquidation threshold); null when equity is zero or negative.</summary>
    public decimal? MarginRatio => Equity > 0m ? MaintenanceMargin / Equity : null;
}
