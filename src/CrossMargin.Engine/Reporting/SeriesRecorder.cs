namespace CrossMargin.Engine.Reporting;

/// <summary>
/// Collects a time series during a run with bounded memory, then yields it bounded for the report.
/// </summary>
/// <remarks>
/// Points must arrive in non-decreasing time order. When the buffer reaches its capacity it is
/// compacted with <see cref="SeriesDownsampler"/> to half its capacity, so memory stays bounded and
/// the result depends only on the sequence of points added (deterministic). Not thread-safe: one
/// writer (e.g. the actor that owns the series).
/// </remarks>
public sealed class SeriesRecorder
{
    private readonly int _capacity;
    private List<TimePoint> _points = [];

    /// <summary>Creates a recorder that keeps at most <paramref name="capacity"/> points in memory.</summary>
    /// <param name="capacity">Buffer bound; at least 4 × <see cref="SeriesDownsampler.DefaultMaxPoints"/> keeps compaction rare.</param>
    public SeriesRecorder(int capacity = 16 * SeriesDownsampler.DefaultMaxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 8);
        _capacity = capacity;
    }

    /// <summary>Number of points currently buffered.</summary>
    public int Count => _points.Count;

    /// <summary>Appends a point.</summary>
    /// <exception cref="ArgumentException">The time is earlier than the previous point's.</exception>
    public void Add(DateTimeOffset time, decimal value)
    {
        if (_points.Count > 0 && time < _points[^1].Time)
        {
            throw new ArgumentException($"time {time:O} is before the previous point {_points[^1].Time:O}", nameof(time));
        }

        _points.Add(new TimePoint(time, value));
        if (_points.Count >= _capacity)
        {
            _points = [.. SeriesDownsampler.Downsample(_points, _capacity / 2)];
        }
    }

    /// <summary>The series bounded to <paramref name="maxPoints"/> points; the recorder can keep recording afterwards.</summary>
    public IReadOnlyList<TimePoint> Build(int maxPoints = SeriesDownsampler.DefaultMaxPoints) =>
        SeriesDownsampler.Downsample(_points, maxPoints);
}
