using CrossMargin.Engine.Feeds;
using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// The ticks a run journaled (<c>IndexTickReceived</c> on the <c>feed-SYMBOL</c> streams), in journal order, as a tick
/// source: what-if feeds the engine exactly what the recorded run received instead of regenerating the scenario's ticks.
/// </summary>
/// <remarks>Immutable after construction; enumerate from any one thread at a time.</remarks>
public sealed class RecordedTickSource : ITickSource
{
    private readonly IReadOnlyList<Tick> _ticks;

    /// <summary>Wraps ticks already read from a journal, in journal order.</summary>
    public RecordedTickSource(IReadOnlyList<Tick> ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        _ticks = ticks;
    }

    /// <summary>How many ticks the run recorded.</summary>
    public int Count => _ticks.Count;

    /// <inheritdoc />
    public IEnumerable<Tick> Ticks() => _ticks;
}
