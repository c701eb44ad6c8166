namespace CrossMargin.Engine.Reporting;

/// <summary>How collateral is shared between an account's positions for a run; the CLI's <c>--margin-mode</c>.</summary>
/// <remarks>Written to JSON and the command line in lower case: <c>cross</c>, <c>isolated</c>, <c>portfolio</c>.</remarks>
public enum MarginMode
{
    /// <summary>One collateral pool per account shared by every position (gains offset losses; losses spread).</summary>
    Cross = 0,

    /// <summary>Each position carries its own collateral; a loss cannot drain the rest of the account.</summary>
    Isolated = 1,

    /// <summary>Cross margin with maintenance margin set by the worst loss over a grid of price/volatility scenarios.</summary>
    Portfolio = 2,
}

/// <summary>Parsing and printing <see cref="MarginMode"/> as the lower-case words users type.</summary>
public static class MarginModes
{
    /// <summary>The accepted words, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cross", "isolated", "portfolio"];

    /// <summary>The lower-case word for <paramref name="mode"/>.</summary>
    public static string ToName(this MarginMode mode) => mode switch
    {
        MarginMode.Cross => "cross",
        MarginMode.Isolated => "isolated",
        MarginMode.Portfolio => "portfolio",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown margin mode"),
    };

    /// <summary>Parses <c>cross</c>, <c>isolated</c> or <c>portfolio</c> (exact, lower case); false for anything else.</summary>
    public static bool TryParse(string? text, out MarginMode mode)
    {
        switch (text)
        {
            case "cross": mode = MarginMode.Cross; return true;
            case "isolated": mode = MarginMode.Isolated; return true;
            case "portfolio": mode = MarginMode.Portfolio; return true;
            default: mode = default; return false;
        }
    }
}
