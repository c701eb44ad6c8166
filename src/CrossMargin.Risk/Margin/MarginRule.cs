namespace CrossMargin.Risk.Margin;

/// <summary>A per-position margin rule. Implementations are immutable and thread-safe.</summary>
public abstract record MarginRule
{
    /// <summary>
    /// Requirement for a position of <paramref name="notional"/> (settlement asset) and <paramref name="underlyingSize"/>
    /// (base units: |q|·cs for linear, |q|·cs/M coin for inverse). Throws <see cref="Errors.RiskInputException"/>
    /// when the position is beyond the rule's largest size.
    /// </summary>
    public abstract MarginRequirement Requirement(decimal notional, decimal underlyingSize);

    /// <summary>Upper bound of d(MM)/d(notional) for positions up to <paramref name="maxNotional"/>; used by risk bands.</summary>
    public abstract decimal MaxMaintenanceSlope(decimal maxNotional);

    /// <summary>Smallest maintenance rate the rule can apply; must exceed the liquidation fee rate.</summary>
    public abstract decimal MinMaintenanceRate { get; }
}
