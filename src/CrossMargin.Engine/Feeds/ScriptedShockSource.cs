using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Feeds;

/// <summary>
/// Several <see cref="ShockScript"/>s played together (a correlated sell-off, a crash with a stablecoin depeg),
/// merged into one time-ordered stream; ticks at the same instant come in instrument order, then script order.
/// </summary>
public sealed class ScriptedShockSource : ITickSource
{
    private readonly MergedTickSource _merged;

    /// <summary>Composes the scripts.</summary>
    public ScriptedShockSource(IEnumerable<ShockScript> scripts)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        Scripts = [.. scripts];
        _merged = new MergedTickSource(Scripts);
    }

    /// <summary>The scripts, in the order given.</summary>
    public IReadOnlyList<ShockScript> Scripts { get; }

    /// <inheritdoc />
    public IEnumerable<Tick> Ticks() => _merged.Ticks();
}
