namespace CrossMargin.Engine.Feeds;

/// <summary>
/// exp and log on doubles built only from IEEE-754 basic operations (+, −, ×, ÷, exact scaling), so results are
/// bit-identical on every platform, unlike <see cref="Math.Exp"/>/<see cref="Math.Log(double)"/> which defer to the C runtime.
/// Accurate to a few ulps; used only inside the random price generator.
/// </summary>
public static class DeterministicMath
{
    private const double Ln2 = 0.6931471805599453;

    // Cody–Waite split of ln 2: the high part has trailing zero bits, so n·Ln2High is exact for |n| < 2048.
    private const double Ln2High = 6.93147180369123816490e-01;
    private const double Ln2Low = 1.90821492927058770002e-10;
    private const double Sqrt2 = 1.4142135623730951;
    private const int SeriesTerms = 30;

    /// <summary>e^x. Returns +∞ above ~709.78 and 0 below ~−745.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x > 709.78)
        {
            return double.PositiveInfinity;
        }

        if (x < -745.2)
        {
            return 0.0;
        }

        double n = Math.Round(x / Ln2);
        double r = x - (n * Ln2High) - (n * Ln2Low);
        double sum = 1.0;
        double term = 1.0;
        for (int k = 1; k < SeriesTerms; k++)
        {
            term *= r / k;
            sum += term;
        }

        return Math.ScaleB(sum, (int)n);
    }

    /// <summary>Natural logarithm of a positive finite x.</summary>
    /// <exception cref="ArgumentOutOfRangeException">x is not positive or not finite.</exception>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsInfinity(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "Log needs a positive finite argument.");
        }

        int exponent = Math.ILogB(x);
        double m = Math.ScaleB(x, -exponent);
        if (m > Sqrt2)
        {
            m /= 2.0;
            exponent++;
        }

        // ln m = 2·atanh(s) with s = (m−1)/(m+1), |s| ≤ 0.172 for m in [1/√2, √2].
        double s = (m - 1.0) / (m + 1.0);
        double s2 = s * s;
        double power = s;
        double sum = 0.0;
        for (int k = 1; k < 2 * SeriesTerms; k += 2)
        {
            sum += power / k;
            power *= s2;
        }

        return (exponent * Ln2High) + ((exponent * Ln2Low) + (2.0 * sum));
    }
}
