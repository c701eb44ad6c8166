namespace CrossMargin.Engine.Reporting;

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
public sealed record ReplayState(DateTimeOffset SimulatedTime, long LastOrdering, decimal InsuranceFund, IReadOnlyList<ReplayedInstrument> Instruments, IReadOnlyList<ReplayedAccount> Accounts, long AccountCount);

/// <summary>One instrument at a point of a replay.</summary>
/// <param name="Instrument">Symbol.</param>
/// <param name="Index">Index price.</param>
/// <param name="Mark">Mark price.</param>
/// <param name="LongOpenInterest">Sum of long quantities.</param>
/// <param name="ShortOpenInterest">Sum of short quantities (positive).</param>
public sealed record ReplayedInstrument(string Instrument, decimal Index, decimal Mark, decimal LongOpenInterest, decimal ShortOpenInterest);

/// <summary>One account at a point of a replay.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Equity">Collateral value after haircuts plus unrealized PnL.</param>
/// <param name="MaintenanceMargin">Maintenance margin required.</param>
/// <param name="Positions">Open positions.</param>
/// <param name="Fate">Fate so far.</param>
public sealed record ReplayedAccount(string AccountId, decimal Equity, decimal MaintenanceMargin, int Positions, AccountFate Fate)
{
    /// <summary>Maintenance margin ÷ equity (1 = liquidation threshold); null when equity is zero or negative.</summary>
    public decimal? MarginRatio => Equity > 0m ? MaintenanceMargin / Equity : null;
}
