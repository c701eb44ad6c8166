using System.Globalization;
using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Feeds;

/// <summary>
/// Parses the timestamps market-data files use. An all-digit value is Unix time whose unit follows from its size:
/// below 10¹¹ seconds, below 10¹⁴ milliseconds, below 10¹⁷ microseconds, otherwise nanoseconds (so 2025 reads right in
/// any of them). Anything else must be ISO-8601 (<c>2025-10-10T21:20:00Z</c>, <c>2025-10-10 21:20:00</c>, with or
/// without fraction and offset); a time without an offset is UTC.
/// </summary>
public static class Timestamps
{
    private const long SecondsLimit = 100_000_000_000L;
    private const long MillisLimit = 100_000_000_000_000L;
    private const long MicrosLimit = 100_000_000_000_000_000L;

    /// <summary>Parses <paramref name="text"/>; false when it is neither epoch digits nor ISO-8601.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset time)
    {
        text = text.Trim();
        if (text.Length > 0 && IsAllDigits(text))
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                time = default;
                return false;
            }

            long micros = value switch
            {
                < SecondsLimit => value * 1_000_000L,
                < MillisLimit => value * 1_000L,
                < MicrosLimit => value,
                _ => value / 1_000L,
            };
            time = UnixTime.FromMicros(micros);
            return true;
        }

        // Only ISO-8601 dates (yyyy-MM-dd…): the lenient parser would otherwise read "1.5" as 5 January of the current year.
        if (!LooksLikeIsoDate(text))
        {
            time = default;
            return false;
        }

        return DateTimeOffset.TryParse(
            text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    private static bool LooksLikeIsoDate(ReadOnlySpan<char> text) =>
        text.Length >= 10
        && IsAllDigits(text[..4]) && text[4] == '-'
        && IsAllDigits(text[5..7]) && text[7] == '-'
        && IsAllDigits(text[8..10])
        && (text.Length == 10 || text[10] is 'T' or 't' or ' ');

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
