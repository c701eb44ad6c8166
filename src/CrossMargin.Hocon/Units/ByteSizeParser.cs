namespace CrossMargin.Hocon;

/// <summary>
/// HOCON byte sizes: a number and an optional unit; no unit means bytes. Powers of ten: <c>kB</c>, <c>MB</c>,
/// <c>GB</c>, <c>TB</c>, <c>PB</c>, <c>EB</c> (and <c>kilobytes</c>...). Powers of two: <c>K</c>/<c>k</c>/<c>Ki</c>/<c>KiB</c>,
/// <c>M</c>/<c>m</c>/<c>Mi</c>/<c>MiB</c>, ... (and <c>kibibytes</c>...). Single letters are powers of two.
/// </summary>
public static class ByteSizeParser
{
    private static readonly Dictionary<string, decimal> BytesPerUnit = Build();

    /// <summary>Parses <paramref name="text"/> to a whole number of bytes; returns false (with a reason) otherwise.</summary>
    public static bool TryParse(string text, out long bytes, out string? problem)
    {
        bytes = 0;
        if (!UnitSplitter.TrySplit(text.Trim(), out var number, out var unit))
        {
            problem = "expected a number followed by an optional size unit";
            return false;
        }

        if (!BytesPerUnit.TryGetValue(unit, out var factor))
        {
            problem = $"unknown size unit '{unit}' (use B, kB, MB, GB, K, Ki, KiB, M, MiB, G, GiB ... or their long names)";
            return false;
        }

        try
        {
            bytes = checked((long)decimal.Round(number * factor, MidpointRounding.AwayFromZero));
            problem = null;
            return true;
        }
        catch (OverflowException)
        {
            problem = "the size does not fit in 64 bits";
            return false;
        }
    }

    private static Dictionary<string, decimal> Build()
    {
        var map = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var name in new[] { "", "B", "b", "byte", "bytes" })
        {
            map[name] = 1m;
        }

        string[] prefixes = ["kilo", "mega", "giga", "tera", "peta", "exa"];
        string[] binaryPrefixes = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi"];
        string[] letters = ["K", "M", "G", "T", "P", "E"];
        decimal ten = 1m, two = 1m;
        for (var i = 0; i < letters.Length; i++)
        {
            ten *= 1000m;
            two *= 1024m;
            var letter = letters[i];
            var lower = letter.ToLowerInvariant();
            map[(i == 0 ? "k" : letter) + "B"] = ten;
            map[prefixes[i] + "byte"] = ten;
            map[prefixes[i] + "bytes"] = ten;
            map[letter] = two;
            map[lower] = two;
            map[letter + "i"] = two;
            map[letter + "iB"] = two;
            map[binaryPrefixes[i] + "byte"] = two;
            map[binaryPrefixes[i] + "bytes"] = two;
        }

        return map;
    }
}
