namespace CrossMargin.Persistence.Actors;

/// <summary>Caps how many persistent actors recover at once (<c>max-concurrent-recoveries</c>). Thread-safe.</summary>
public sealed class RecoveryPermitter : IDisposable
{
    private readonly SemaphoreSlim _permits;

    /// <summary>Creates a permitter with <paramref name="maxConcurrentRecoveries"/> permits.</summary>
    public RecoveryPermitter(int maxConcurrentRecoveries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentRecoveries, 1);
        MaxConcurrentRecoveries = maxConcurrentRecoveries;
        _permits = new SemaphoreSlim(maxConcurrentRecoveries, maxConcurrentRecoveries);
    }

    /// <summary>The cap.</summary>
    public int MaxConcurrentRecoveries { get; }

    /// <summary>Permits currently handed out.</summary>
    public int InUse => MaxConcurrentRecoveries - _permits.CurrentCount;

    /// <summary>Completes when a permit is granted; pair with exactly one <see cref="Release"/>.</summary>
    public Task AcquireAsync() => _permits.WaitAsync();

    /// <summary>Returns a permit.</summary>
    public void Release() => _permits.Release();

    /// <inheritdoc />
    public void Dispose() => _permits.Dispose();
}
