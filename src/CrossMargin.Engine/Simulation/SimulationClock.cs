namespace CrossMargin.Engine.Simulation;

/// <summary>
/// A <see cref="TimeProvider"/> that reads the simulation's virtual clock: the journal stamps rows with simulated time,
/// never the wall clock. The driver moves it forward; thread-safe reads.
/// </summary>
public sealed class SimulationClock : TimeProvider
{
    private long _utcTicks;

    /// <summary>Creates the clock at <paramref name="start"/>.</summary>
    public SimulationClock(DateTimeOffset start) => _utcTicks = start.UtcTicks;

    /// <summary>Moves the clock to <paramref name="now"/> (never backwards).</summary>
    public void Set(DateTimeOffset now)
    {
        if (now.UtcTicks > Interlocked.Read(ref _utcTicks))
        {
            Interlocked.Exchange(ref _utcTicks, now.UtcTicks);
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);
}
