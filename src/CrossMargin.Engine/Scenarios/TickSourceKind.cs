namespace CrossMargin.Engine.Scenarios;

/// <summary>Where a scenario's prices come from (HOCON <c>crossmargin.scenario.source</c>).</summary>
public enum TickSourceKind
{
    /// <summary>Piecewise-linear scripted shocks (<c>scripted</c>).</summary>
    Scripted,

    /// <summary>Seeded correlated GBM with jumps (<c>gbm</c>).</summary>
    Gbm,

    /// <summary>Replay of tick files (<c>historical</c>, files from <c>--ticks</c> or <c>crossmargin.scenario.historical.ticks</c>).</summary>
    Historical,
}
