namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// The journal knobs a run takes from <c>crossmargin.persistence</c> (reference.conf ← <c>--config</c> ←
/// environment ← <c>--set</c>): how many rows one journal write / group-commit transaction holds, and how often the
/// actor engine's accounts snapshot. Read and range-checked by <see cref="ScenarioLoader"/>; immutable.
/// </summary>
/// <param name="BatchSize"><c>crossmargin.persistence.batch-size</c>: rows per journal write of the driver and per group-commit transaction, 1..1,000,000.</param>
/// <param name="SnapshotInterval"><c>crossmargin.persistence.snapshot-interval</c>: an account actor snapshots after every this many of its events, 0 (never)..100,000,000.</param>
public sealed record JournalSettings(int BatchSize, int SnapshotInterval)
{
    /// <summary>Key of <see cref="BatchSize"/>.</summary>
    public const string BatchSizeKey = "crossmargin.persistence.batch-size";

    /// <summary>Key of <see cref="SnapshotInterval"/>.</summary>
    public const string SnapshotIntervalKey = "crossmargin.persistence.snapshot-interval";

    /// <summary>Largest accepted batch size.</summary>
    public const int MaxBatchSize = 1_000_000;

    /// <summary>Largest accepted snapshot interval.</summary>
    public const int MaxSnapshotInterval = 100_000_000;

    /// <summary>reference.conf's values: batches of 10,000 rows, a snapshot every 1,000 events.</summary>
    public static JournalSettings Default { get; } = new(10_000, 1000);

    /// <summary>Reads both keys; an absent key keeps its <see cref="Default"/> (a recorded configuration may lack them).</summary>
    /// <exception cref="Reporting.RunInputException">A value is not an integer or out of range; the message names the key, the value and where it was set.</exception>
    internal static JournalSettings Read(ConfigReader r) => new(
        r.Has(BatchSizeKey) ? r.Int(BatchSizeKey, 1, MaxBatchSize) : Default.BatchSize,
        r.Has(SnapshotIntervalKey) ? r.Int(SnapshotIntervalKey, 0, MaxSnapshotInterval) : Default.SnapshotInterval);
}
