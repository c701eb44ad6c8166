namespace CrossMargin.Persistence.Batching;

/// <summary>Tuning of a <see cref="GroupCommitWriter"/>.</summary>
/// <param name="MaxBatchRows">Most rows in one transaction; an atomic write larger than this still goes whole.</param>
/// <param name="Parallelism">Writer loops running transactions at once (1 for SQLite, which has one writer anyway).</param>
/// <param name="MaxRetries">Retries of a batch after a transient error before its writes fail.</param>
/// <param name="MinBackoff">First retry delay; doubles per retry up to <paramref name="MaxBackoff"/>.</param>
/// <param name="MaxBackoff">Longest retry delay.</param>
public sealed record GroupCommitOptions(int MaxBatchRows = 10_000, int Parallelism = 1, int MaxRetries = 8, TimeSpan MinBackoff = default, TimeSpan MaxBackoff = default)
{
    /// <summary>First retry delay (100 ms when unset).</summary>
    public TimeSpan EffectiveMinBackoff => MinBackoff == default ? TimeSpan.FromMilliseconds(100) : MinBackoff;

    /// <summary>Longest retry delay (5 s when unset).</summary>
    public TimeSpan EffectiveMaxBackoff => MaxBackoff == default ? TimeSpan.FromSeconds(5) : MaxBackoff;
}
