namespace CrossMargin.Engine.Market;

/// <summary>
/// Deterministic elementary functions on <see cref="decimal"/>: every step is decimal arithmetic (or an IEEE-exact
/// double square root used only as the Newton start), so the result is identical on every machine and run.
/// </summary>
public static class DecimalMath
{
    /// <summary>ln 2 to 28 significant digits.</summary>
    public const decimal Ln2 = 0.6931471805599453094172321215m;

    private const int MaxNewtonSteps = 12;
    private const int MaxSeriesTerms = 64;

    /// <summary>
    /// Square root by Newton iteration from the (correctly rounded) double estimate, stopped when an iterate repeats
    /// or after a fixed number of steps. Exact for perfect squares representable in decimal (e.g. √0.0004 = 0.02).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The argument is negative.</exception>
    public static decimal Sqrt(decimal value)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Square root of a negative number.");
        }

        if (value == 0)
        {
            return 0m;
        }

        decimal guess = (decimal)Math.Sqrt((double)value);
        if (guess == 0)
        {
            guess = value;
        }

        for (int step = 0; step < MaxNewtonSteps; step++)
        {
            decimal next = (guess + (value / guess)) / 2m;
            if (next == guess)
            {
                break;
            }

            guess = next;
        }

        return guess;
    }

    /// <summary>
    /// e^x for x ≤ 0 with |x| ≤ 1 by its Taylor series (terms summed until they vanish in decimal precision).
    /// </summary>
    private static decimal ExpSmallNegative(decimal x)
    {
        decimal sum = 1m;
        decimal term = 1m;
        for (int n = 1; n < MaxSeriesTerms; n++)
        {
            term = term * x / n;
            if (term == 0)
            {
                break;
            }

            sum += term;
        }

        return sum;
    }

    /// <summary>
    /// 2^(−x) for x ≥ 0, as used by half-life decay (weight after x half-lives). Returns 0 once the value is below
    /// decimal resolution (x &gt; 96).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">x is negative.</exception>
    public static decimal Pow2Negative(decimal x)
    {
        if (x < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "Exponent must be non-negative.");
        }

        if (x > 96m)
        {
            return 0m;
        }

        int whole = (int)decimal.Floor(x);
        decimal fraction = x - whole;
        decimal result = ExpSmallNegative(-fraction * Ln2);
        for (int i = 0; i < whole; i++)
        {
            result /= 2m;
        }

        return result;
    }
}
