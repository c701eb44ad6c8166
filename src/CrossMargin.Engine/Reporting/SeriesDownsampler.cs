namespace CrossMargin.Engine.Reporting;

/// <summary>
/// Bounds a time series for reports, deterministically: the same input always gives the same output.
/// </summary>
/// <remarks>
/// Min-max bucketing: the first and last points are kept; the points between are split into equal
/// runs by position, and each run contributes its lowest and its highest point (in time order). A
/// crash's bottom and a spike's top therefore survive, which an average or a stride would erase.
/// Values stay exact (no interpolation). Pure; thread-safe.
/// </remarks>
public static class SeriesDownsampler
{
    /// <summary>The bound reports use for every series.</summary>
    public const int DefaultMaxPoints = 2000;

    /// <summary>Returns at most <paramref name="maxPoints"/> points of <paramref name="points"/>, in their original order.</summary>
    /// <param name="points">The series, in time order.</param>
    /// <param name="maxPoints">The bound; at least 4.</param>
    public static IReadOnlyList<TimePoint> Downsample(IReadOnlyList<TimePoint> points, int maxPoints = DefaultMaxPoints)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 4);
        if (points.Count <= maxPoints)
        {
            return points.ToArray();
        }

        var interior = points.Count - 2;
        var buckets = (maxPoints - 2) / 2;
        var result = new List<TimePoint>(maxPoints) { points[0] };
        for (var b = 0; b < buckets; b++)
        {
            // Integer bounds (long arithmetic) so bucket edges never depend on rounding.
            var start = 1 + (int)((long)b * interior / buckets);
            var end = 1 + (int)((long)(b + 1) * interior / buckets);
            AddMinAndMax(points, start, end, result);
        }

        result.Add(points[^1]);
        return result;
    }

    private static void AddMinAndMax(IReadOnlyList<TimePoint> points, int start, int end, List<TimePoint> into)
    {
        var min = start;
        var max = start;
        for (var i = start + 1; i < end; i++)
        {
            if (points[i].Value < points[min].Value) min = i;
            if (points[i].Value > points[max].Value) max = i;
        }

        if (min == max)
        {
            into.Add(points[min]);
        }
        else
        {
            into.Add(points[Math.Min(min, max)]);
            into.Add(points[Math.Max(min, max)]);
        }
    }
}
