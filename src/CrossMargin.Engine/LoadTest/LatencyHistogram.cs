using System.Numerics;

namespace CrossMargin.Engine.LoadTest;

/// <summary>
/// A log-linear histogram of non-negative <see cref="long"/> values (nanoseconds, ticks, bytes): values below 256
/// are counted exactly; above, each power of two is split into 128 equal buckets, so a bucket is never wider than
/// 1/128 of its lower bound. A percentile is read as the middle of the bucket holding the exact nearest-rank
/// sample (clamped to the recorded min and max), hence within <see cref="RelativeError"/> of it.
/// </summary>
/// <remarks>
/// <see cref="Record(long)"/> never allocates (one fixed array of 7,296 counters, about 57 KiB). Not thread-safe: one
/// writer at a time; readers on other threads must synchronise with the writer (or read a <see cref="Copy"/>
/// taken under the writer's control). Negative values are recorded as 0.
/// </remarks>
public sealed class LatencyHistogram
{
    private const int SubBits = 7;
    private const int SubCount = 1 << SubBits;          // 128 buckets per power of two
    private const int ExactLimit = SubCount << 1;       // values < 256 have a bucket each
    private const int Buckets = ExactLimit + ((63 - (SubBits + 1)) * SubCount);

    private readonly long[] _counts = new long[Buckets];

    /// <summary>Bound on |percentile − exact percentile| / exact percentile: 1/128 (better than 2 significant digits).</summary>
    public const double RelativeError = 1.0 / SubCount;

    /// <summary>Values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Smallest value recorded (0 when empty).</summary>
    public long Min => Count == 0 ? 0 : _min;

    /// <summary>Largest value recorded (0 when empty).</summary>
    public long Max { get; private set; }

    /// <summary>Sum of the values recorded (saturates at <see cref="long.MaxValue"/>).</summary>
    public long Sum { get; private set; }

    private long _min = long.MaxValue;

    /// <summary>Mean of the values recorded (0 when empty).</summary>
    public double Mean => Count == 0 ? 0 : (double)Sum / Count;

    /// <summary>Counts one value (negative values count as 0). Allocation-free, O(1).</summary>
    public void Record(long value) => Record(value, 1);

    /// <summary>Counts <paramref name="count"/> occurrences of <paramref name="value"/>.</summary>
    public void Record(long value, long count)
    {
        if (count <= 0)
        {
            return;
        }

        if (value < 0)
        {
            value = 0;
        }

        _counts[IndexOf(value)] += count;
        Count += count;
        if (value < _min)
        {
            _min = value;
        }

        if (value > Max)
        {
            Max = value;
        }

        Sum = unchecked(Sum + (value * count)) is var s && s >= Sum ? s : long.MaxValue;
    }

    /// <summary>Adds every count of <paramref name="other"/> into this histogram.</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        for (var i = 0; i < Buckets; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _min = Math.Min(_min, other._min);
        Max = Math.Max(Max, other.Max);
        Sum = unchecked(Sum + other.Sum) is var s && s >= Sum ? s : long.MaxValue;
    }

    /// <summary>Forgets every value (keeps the array: no allocation).</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        Count = 0;
        Max = 0;
        Sum = 0;
        _min = long.MaxValue;
    }

    /// <summary>An independent copy.</summary>
    public LatencyHistogram Copy()
    {
        var copy = new LatencyHistogram();
        copy.Merge(this);
        return copy;
    }

    /// <summary>
    /// The <paramref name="percentile"/>-th percentile (0 &lt; p ≤ 100) by the nearest-rank rule: the value of rank
    /// ⌈p/100 · n⌉ among the sorted values, read from its bucket. 0 when empty; 100 gives <see cref="Max"/>.
    /// </summary>
    public long Percentile(double percentile)
    {
        if (percentile is <= 0 or > 100 || double.IsNaN(percentile))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "accepted 0 < percentile <= 100");
        }

        if (Count == 0)
        {
            return 0;
        }

        if (percentile >= 100)
        {
            return Max;
        }

        var rank = (long)Math.Ceiling(percentile / 100.0 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                var (lower, upper) = BucketRange(i);
                var mid = lower + ((upper - lower) / 2);
                return Math.Clamp(mid, _min, Max);
            }
        }

        return Max;
    }

    /// <summary>The non-empty buckets in increasing order: inclusive lower bound, inclusive upper bound, count.</summary>
    public IEnumerable<(long Lower, long Upper, long Count)> NonEmptyBuckets()
    {
        for (var i = 0; i < Buckets; i++)
        {
            if (_counts[i] != 0)
            {
                var (lower, upper) = BucketRange(i);
                yield return (lower, upper, _counts[i]);
            }
        }
    }

    /// <summary>Bucket index of <paramref name="value"/> (≥ 0).</summary>
    internal static int IndexOf(long value)
    {
        if (value < ExactLimit)
        {
            return (int)value;
        }

        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)value); // ≥ 8
        var shift = exponent - SubBits;
        var mantissa = (int)(value >> shift);                            // in [128, 255]
        return ExactLimit + ((exponent - (SubBits + 1)) * SubCount) + (mantissa - SubCount);
    }

    /// <summary>Inclusive value range of bucket <paramref name="index"/>.</summary>
    internal static (long Lower, long Upper) BucketRange(int index)
    {
        if (index < ExactLimit)
        {
            return (index, index);
        }

        var k = index - ExactLimit;
        var exponent = (k / SubCount) + SubBits + 1;
        var mantissa = (long)((k % SubCount) + SubCount);
        var shift = exponent - SubBits;
        var lower = mantissa << shift;
        var width = 1L << shift;
        return (lower, unchecked(lower + (width - 1)) < lower ? long.MaxValue : lower + (width - 1));
    }
}
