namespace CrossMargin.Risk.Model;

/// <summary>How an account's collateral backs its positions.</summary>
public enum MarginMode
{
    /// <summary>One pool backs every position; gains offset losses.</summary>
    Cross,

    /// <summary>Each position has its own margin; its loss never touches the pool or other positions.</summary>
    Isolated,

    /// <summary>One pool; the requirement is the worst loss over a scenario grid (hedges offset).</summary>
    Portfolio,
}
