namespace CrossMargin.Engine.Reporting;

/// <summary>
/// What finally happened to an account in a run, from least to most severe. Used to list the
/// accounts whose fate differs between two runs (cross vs isolated, baseline vs what-if).
/// </summary>
public enum AccountFate
{
    /// <summary>Never margin-called. Accounts absent from <see cref="SimulationReport.AccountFates"/> have this fate.</summary>
    Healthy = 0,

    /// <summary>Margin-called at least once but never liquidated.</summary>
    MarginCalled = 1,

    /// <summary>Some positions were reduced by the liquidation engine; the account stayed solvent.</summary>
    PartiallyLiquidated = 2,

    /// <summary>Every position was closed out by the liquidation engine; equity stayed non-negative.</summary>
    Liquidated = 3,

    /// <summary>Equity went negative: the loss passed to the insurance fund, ADL or socialization.</summary>
    Bankrupt = 4,

    /// <summary>A profitable position was cut by auto-deleveraging to cover someone else's bankruptcy.</summary>
    Deleveraged = 5,
}
