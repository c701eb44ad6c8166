namespace CrossMargin.Cluster.Operations.LoadGen;

/// <summary>What a load-generator run did; printed by <c>cluster loadgen</c>.</summary>
/// <param name="SeededAccounts">Trading accounts seeded (deposits and matched positions), besides the market maker.</param>
/// <param name="SeedCommands">Seed commands sent (deposits and both sides of each trade).</param>
/// <param name="Sent">Commands sent during the drive (ticks and deposits).</param>
/// <param name="Acknowledged">Commands (seed and drive) whose reply said applied, as written to the acknowledged file.</param>
/// <param name="SeedAcknowledged">How many of <paramref name="Acknowledged"/> were seed commands.</param>
/// <param name="Refused">Commands answered with a refusal or an error reply (reasons in <paramref name="RefusalSamples"/>).</param>
/// <param name="Unanswered">Commands with no reply within the reply timeout (still queued: their outcome is unknown, not lost).</param>
/// <param name="DriveSeconds">Wall time of the drive phase, from the first drive command to the last reply.</param>
/// <param name="LatencyMs">Enqueue-to-reply latency of the drive's acknowledged commands: p50, p99, max (ms).</param>
/// <param name="RefusalSamples">The first refusal reasons.</param>
public sealed record LoadGenResult(
    int SeededAccounts,
    long SeedCommands,
    long Sent,
    IReadOnlyList<AcknowledgedCommand> Acknowledged,
    long SeedAcknowledged,
    long Refused,
    long Unanswered,
    double DriveSeconds,
    (double P50, double P99, double Max) LatencyMs,
    IReadOnlyList<string> RefusalSamples)
{
    /// <summary>Acknowledged drive commands per second of drive time.</summary>
    public double DrivePerSecond => DriveSeconds > 0 ? (Acknowledged.Count - SeedAcknowledged) / DriveSeconds : 0;
}

/// <summary>Progress of a run, reported about once a second.</summary>
/// <param name="Phase"><c>seed</c>, <c>drive</c> or <c>drain</c>.</param>
/// <param name="Sent">Commands sent so far (seed and drive).</param>
/// <param name="Acknowledged">Acknowledged so far.</param>
/// <param name="InFlight">Awaiting a reply.</param>
/// <param name="Refused">Refused so far.</param>
public readonly record struct LoadGenProgress(string Phase, long Sent, long Acknowledged, long InFlight, long Refused);
