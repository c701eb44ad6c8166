namespace CrossMargin.Engine.Reporting.Charts;

/// <summary>Chooses "nice" axis ranges and tick values (1, 2, 2.5, 5 × 10ⁿ steps) for the report charts.</summary>
/// <remarks>Drawing only: values here are doubles because they become pixel positions; report figures stay decimal. Pure.</remarks>
public static class ChartAxis
{
    /// <summary>Tick values covering [<paramref name="min"/>, <paramref name="max"/>] with about <paramref name="targetCount"/> ticks; the first and last tick enclose the range.</summary>
    public static IReadOnlyList<double> NiceTicks(double min, double max, int targetCount = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetCount, 2);
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            return [0, 1];
        }

        if (max < min) (min, max) = (max, min);
        if (max == min)
        {
            var pad = min == 0 ? 1 : Math.Abs(min) * 0.05;
            min -= pad;
            max += pad;
        }

        var step = NiceStep((max - min) / (targetCount - 1));
        var first = Math.Floor(min / step) * step;
        var last = Math.Ceiling(max / step) * step;
        var ticks = new List<double>();
        for (var i = 0; first + (i * step) <= last + (step / 2) && i < 100; i++)
        {
            // Re-derive from the index each time so ticks do not accumulate floating-point drift.
            ticks.Add(Math.Round(first + (i * step), 10));
        }

        return ticks;
    }

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction switch
        {
            <= 1 => 1,
            <= 2 => 2,
            <= 2.5 => 2.5,
            <= 5 => 5,
            _ => 10,
        };
        return nice * magnitude;
    }

    private static readonly double[] TimeSteps =
        [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

    /// <summary>
    /// Tick values for a time axis in seconds (e.g. Unix seconds): whole multiples of a clock-friendly step
    /// (1 s, 5 s, 15 s, 1 min, 5 min, 1 h, 1 day, …) inside [<paramref name="min"/>, <paramref name="max"/>], about <paramref name="targetCount"/> of them.
    /// </summary>
    public static IReadOnlyList<double> TimeTicks(double min, double max, int targetCount = 6)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetCount, 2);
        if (!double.IsFinite(min) || !double.IsFinite(max) || max <= min)
        {
            return double.IsFinite(min) ? [min] : [];
        }

        var raw = (max - min) / (targetCount - 1);
        var step = TimeSteps.FirstOrDefault(s => s >= raw);
        if (step == 0) step = NiceStep(raw / 86400) * 86400;
        var ticks = new List<double>();
        for (var i = Math.Ceiling(min / step); i * step <= max && ticks.Count < 100; i++)
        {
            ticks.Add(i * step);
        }

        return ticks;
    }
}
