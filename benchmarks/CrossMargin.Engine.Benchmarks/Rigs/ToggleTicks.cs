namespace CrossMargin.Engine.Benchmarks.Rigs;

/// <summary>
/// A steady tick stream for one rig: the index alternates between the opening index and a level
/// <c>move</c> away (one tick of the grid for a move of 0), so the same accounts are woken on every tick once the
/// population has settled. <see cref="Settle"/> runs the first ticks (which may liquidate the few accounts that sit on a
/// boundary) and records which accounts each direction wakes.
/// </summary>
public sealed class ToggleTicks
{
    private readonly EngineRig _rig;
    private readonly decimal[] _levels;
    private int _next;

    public ToggleTicks(EngineRig rig, decimal relativeMove)
    {
        _rig = rig ?? throw new ArgumentNullException(nameof(rig));
        var away = relativeMove == 0m ? rig.OpeningIndex + rig.Feed.TickSize : rig.IndexAt(relativeMove);
        _levels = [away, rig.OpeningIndex];
    }

    /// <summary>Accounts woken by the tick to the far level, then by the tick back (after <see cref="Settle"/>).</summary>
    public IReadOnlyList<long>[] Woken { get; } = [[], []];

    /// <summary>Mean accounts woken per tick in the settled state.</summary>
    public double MeanWoken => (Woken[0].Count + Woken[1].Count) / 2.0;

    /// <summary>Runs <paramref name="ticks"/> warm-up ticks (an even number), then one timed-free round trip that lists the woken accounts.</summary>
    public void Settle(int ticks = 200)
    {
        for (var i = 0; i < ticks + (ticks % 2); i++)
        {
            Next();
        }

        Woken[0] = _rig.TickAndListWoken(_levels[0]);
        Woken[1] = _rig.TickAndListWoken(_levels[1]);
        _next = 0;
    }

    /// <summary>The next tick of the stream.</summary>
    public void Next()
    {
        _rig.Tick(_levels[_next]);
        _next ^= 1;
    }

    /// <summary>The baseline of the same work: the accounts the next tick would wake, re-margined by a plain loop at the current prices.</summary>
    public int NextPlain()
    {
        var changed = _rig.PlainRemargin(Woken[_next]);
        _next ^= 1;
        return changed;
    }
}
