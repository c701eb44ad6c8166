namespace CrossMargin.Engine.LoadTest;

/// <summary>How a load test runs the liquidation coordinator's cascade rounds against the tick stream.</summary>
public enum CascadeMode
{
    /// <summary>
    /// A tick re-margins the accounts it woke and queues their liquidation requests; rounds (each capped at
    /// <see cref="LoadTestSettings.RoundActions"/> fills and waterfalls) run one at a time between ticks, when no tick
    /// is due and at least every <see cref="LoadTestSettings.RoundInterval"/> while behind: margin decisions stay
    /// current while a cascade is worked off, as in a live engine.
    /// </summary>
    Spread,

    /// <summary>Every round of the cascade a tick sets off runs before the next tick (the deterministic <c>simulate</c> order).</summary>
    Inline,
}
