using System.Globalization;

namespace CrossMargin.Hocon;

/// <summary>
/// HOCON durations: a number followed by an optional unit (<c>10s</c>, <c>100 ms</c>, <c>5 minutes</c>);
/// no unit means milliseconds. Akka's extra word <c>infinite</c> means <see cref="Timeout.InfiniteTimeSpan"/>.
/// Fractions are allowed (<c>1.5h</c>) and rounded to the nearest 100 ns tick.
/// </summary>
public static class DurationParser
{
    private static readonly Dictionary<string, decimal> TicksPerUnit = Build();

    /// <summary>The unit words accepted, e.g. for documentation and error messages.</summary>
    public static IReadOnlyCollection<string> Units => TicksPerUnit.Keys;

    /// <summary>Parses <paramref name="text"/>; returns false (with a reason) when it is not a duration.</summary>
    public static bool TryParse(string text, bool allowInfinite, out TimeSpan value, out string? problem)
    {
        value = default;
        var trimmed = text.Trim();
        if (trimmed == "infinite")
        {
            value = Timeout.InfiniteTimeSpan;
            problem = allowInfinite ? null : "'infinite' is not allowed here";
            return allowInfinite;
        }

        if (!UnitSplitter.TrySplit(trimmed, out var number, out var unit))
        {
            problem = "expected a number followed by an optional unit";
            return false;
        }

        if (!TicksPerUnit.TryGetValue(unit, out var ticksPerUnit))
        {
            problem = $"unknown duration unit '{unit}' (use ns, us, ms, s, m, h, d or their long names)";
            return false;
        }

        try
        {
            var ticks = decimal.Round(number * ticksPerUnit, MidpointRounding.AwayFromZero);
            value = TimeSpan.FromTicks(checked((long)ticks));
            problem = null;
            return true;
        }
        catch (OverflowException)
        {
            problem = "the duration is too large";
            return false;
        }
    }

    private static Dictionary<string, decimal> Build()
    {
        var map = new Dictionary<string, decimal>(StringComparer.Ordinal) { [""] = TimeSpan.TicksPerMillisecond };
        void Add(decimal ticks, params string[] names)
        {
            foreach (var name in names)
            {
                map[name] = ticks;
            }
        }

        // 1 tick = 100 ns, so a nanosecond is a hundredth of a tick; decimal keeps that exact.
        Add(0.01m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(TimeSpan.TicksPerMicrosecond, "us", "micro", "micros", "microsecond", "microseconds");
        Add(TimeSpan.TicksPerMillisecond, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Add(TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Add(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(TimeSpan.TicksPerDay, "d", "day", "days");
        return map;
    }
}

/// <summary>Splits "10 ms" into the number 10 and the unit "ms" by hand (no regular expressions).</summary>
internal static class UnitSplitter
{
    public static bool TrySplit(string text, out decimal number, out string unit)
    {
        var i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or '-' or '+'))
        {
            i++;
        }

        unit = text[i..].Trim();
        return decimal.TryParse(text.AsSpan(0, i), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
    }
}
