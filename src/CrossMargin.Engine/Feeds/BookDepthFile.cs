using System.Globalization;

namespace CrossMargin.Engine.Feeds;

/// <summary>
/// Reads a Binance USD-M bookDepth CSV: <c>timestamp,percentage,depth,notional,weighted_avg_price</c> (header optional;
/// timestamp ISO-8601 such as <c>2025-10-10 00:00:07</c> in UTC, or Unix digits). Rows must be in non-decreasing time.
/// </summary>
public static class BookDepthFile
{
    /// <summary>Reads the whole file.</summary>
    /// <param name="path">Path of the file.</param>
    /// <param name="skipBadRows">Skip and count bad rows instead of throwing.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TickFileException">A bad row (when not skipping), naming file, line and field.</exception>
    public static BookDepthSeries Read(string path, bool skipBadRows = false)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Book-depth file not found: {path}", path);
        }

        var samples = new List<BookDepthSample>();
        long skipped = 0;
        long lineNumber = 0;
        DateTimeOffset? previous = null;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] f = line.Split(',');
            if (lineNumber == 1 && f[0].Trim().Equals("timestamp", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            TickFileException? error = Parse(path, lineNumber, f, out BookDepthSample sample);
            if (error is null && previous is DateTimeOffset before && sample.Time < before)
            {
                error = new TickFileException(path, lineNumber, "timestamp", f[0], $"time goes backwards (previous row at {before:O})");
            }

            if (error is not null)
            {
                if (!skipBadRows)
                {
                    throw error;
                }

                skipped++;
                continue;
            }

            previous = sample.Time;
            samples.Add(sample);
        }

        return new BookDepthSeries(samples, skipped);
    }

    private static TickFileException? Parse(string path, long line, string[] f, out BookDepthSample sample)
    {
        sample = default;
        if (f.Length != 5)
        {
            return new TickFileException(path, line, "row", f.Length.ToString(CultureInfo.InvariantCulture),
                "wrong column count for bookDepth: expected 5");
        }

        if (!Timestamps.TryParse(f[0], out DateTimeOffset time))
        {
            return new TickFileException(path, line, "timestamp", f[0], "not a timestamp");
        }

        if (!int.TryParse(f[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int percentage) || percentage == 0)
        {
            return new TickFileException(path, line, "percentage", f[1], "not a non-zero whole percentage");
        }

        TickFileException? error;
        if ((error = NonNegative(path, line, "depth", f[2], out decimal depth)) is not null
            || (error = NonNegative(path, line, "notional", f[3], out decimal notional)) is not null
            || (error = NonNegative(path, line, "weighted_avg_price", f[4], out decimal price)) is not null)
        {
            return error;
        }

        sample = new BookDepthSample(time, percentage, depth, notional, price);
        return null;
    }

    private static TickFileException? NonNegative(string path, long line, string field, string text, out decimal value)
    {
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return new TickFileException(path, line, field, text, "not a number");
        }

        return value < 0 ? new TickFileException(path, line, field, text, "must not be negative") : null;
    }
}
