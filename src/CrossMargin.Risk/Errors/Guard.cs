using System.Globalization;

namespace CrossMargin.Risk.Errors;

/// <summary>Input checks shared by every entry point; each throws <see cref="RiskInputException"/> naming the field.</summary>
public static class Guard
{
    /// <summary>Requires <paramref name="value"/> &gt; 0 (prices, tick and lot sizes).</summary>
    public static decimal Positive(decimal value, string field)
    {
        if (value <= 0m)
        {
            throw new RiskInputException(field, Text(value), "must be greater than zero");
        }

        return value;
    }

    /// <summary>Requires <paramref name="value"/> ≥ 0.</summary>
    public static decimal NonNegative(decimal value, string field)
    {
        if (value < 0m)
        {
            throw new RiskInputException(field, Text(value), "must not be negative");
        }

        return value;
    }

    /// <summary>Requires 0 ≤ <paramref name="value"/> ≤ 1 (haircuts, fractions).</summary>
    public static decimal UnitInterval(decimal value, string field)
    {
        if (value < 0m || value > 1m)
        {
            throw new RiskInputException(field, Text(value), "must lie in [0, 1]");
        }

        return value;
    }

    /// <summary>Requires <paramref name="value"/> to be a whole multiple of <paramref name="step"/> (tick or lot).</summary>
    public static decimal Multiple(decimal value, decimal step, string field)
    {
        if (decimal.Remainder(value, step) != 0m)
        {
            throw new RiskInputException(field, Text(value), $"must be a multiple of {Text(step)}");
        }

        return value;
    }

    /// <summary>
    /// Converts a double from outside (a feed, a generated scenario) to decimal, refusing NaN, infinity and values
    /// outside decimal's range instead of letting them become a silent wrong number.
    /// </summary>
    public static decimal FromDouble(double value, string field)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new RiskInputException(field, value.ToString(CultureInfo.InvariantCulture), "must be a finite number");
        }

        if (Math.Abs(value) >= 7.9e28)
        {
            throw new RiskInputException(field, value.ToString("R", CultureInfo.InvariantCulture), "is outside the decimal range");
        }

        return (decimal)value;
    }

    /// <summary>Parses invariant-culture decimal text (no thousands separators, no NaN/∞).</summary>
    public static decimal Parse(string text, string field)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var value))
        {
            throw new RiskInputException(field, text, "is not a decimal number");
        }

        return value;
    }

    /// <summary>Invariant text of a decimal for messages.</summary>
    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
