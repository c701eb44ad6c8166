using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Feeds;

/// <summary>
/// A finite or endless stream of ticks in non-decreasing time order. Each call to <see cref="Ticks"/> starts again
/// from the beginning and yields the same sequence (sources are deterministic: seeded, scripted or read from files).
/// </summary>
/// <remarks>Enumerate one sequence from one thread at a time; sources hold no wall-clock time.</remarks>
public interface ITickSource
{
    /// <summary>The ticks, in non-decreasing <see cref="Tick.Time"/> order.</summary>
    IEnumerable<Tick> Ticks();
}
