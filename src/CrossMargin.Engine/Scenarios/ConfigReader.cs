using System.Globalization;
using CrossMargin.Engine.Reporting;
using CrossMargin.Hocon;

namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// Typed, range-checked reads of a resolved configuration whose every failure is a <see cref="RunInputException"/>
/// naming the full path, the accepted range, the value and where it was set, e.g.
/// <c>crossmargin.engine.population.accounts must be 1..10000000, got 0 (crash.conf:12)</c>.
/// </summary>
internal sealed class ConfigReader(Config config)
{
    public Config Config { get; } = config;

    public bool Has(string path) => Config.HasPath(path);

    public IReadOnlyList<string> Keys(string path) => Guard(path, () => Config.GetKeys(path));

    /// <summary><c>file:line</c> where <paramref name="path"/> was set, or <c>not set</c>.</summary>
    public string Where(string path)
    {
        try
        {
            return Config.GetValue(path) is { } v ? $"{v.Origin.Source}:{v.Origin.Line}" : "not set";
        }
        catch (HoconException)
        {
            return "not set";
        }
    }

    public RunInputException Fail(string path, string message) => new($"{path} {message} ({Where(path)})");

    public string String(string path) => Guard(path, () => Config.GetString(path));

    public string? OptionalString(string path) => Guard(path, () => Config.GetString(path, null));

    public bool Bool(string path) => Guard(path, () => Config.GetBoolean(path));

    public TimeSpan Duration(string path, bool allowZero = false)
    {
        var value = Guard(path, () => Config.GetTimeSpan(path, allowInfinite: false));
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            throw Fail(path, $"must be a {(allowZero ? "non-negative" : "positive")} duration, got {value}");
        }

        return value;
    }

    public int Int(string path, int min, int max)
    {
        var value = Guard(path, () => Config.GetInt(path));
        if (value < min || value > max)
        {
            throw Fail(path, $"must be {min}..{max}, got {value}");
        }

        return value;
    }

    public ulong ULong(string path)
    {
        var text = String(path);
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw Fail(path, $"must be an integer 0..{ulong.MaxValue}, got {text}");
        }

        return value;
    }

    /// <summary>A decimal in [min, max] (bounds open when the flags say so); null bounds are unbounded.</summary>
    public decimal Decimal(string path, decimal? min = null, decimal? max = null, bool minOpen = false, bool maxOpen = false)
    {
        var value = Guard(path, () => Config.GetDecimal(path));
        var low = min is null ? true : minOpen ? value > min : value >= min;
        var high = max is null ? true : maxOpen ? value < max : value <= max;
        if (!low || !high)
        {
            throw Fail(path, $"must be in {Range(min, max, minOpen, maxOpen)}, got {Text(value)}");
        }

        return value;
    }

    /// <summary>As <see cref="Decimal"/>, or null when the path is absent or <c>null</c>.</summary>
    public decimal? OptionalDecimal(string path, decimal? min = null, decimal? max = null, bool minOpen = false, bool maxOpen = false) =>
        Has(path) ? Decimal(path, min, max, minOpen, maxOpen) : null;

    public double Double(string path, double min, double max)
    {
        var value = Guard(path, () => Config.GetDouble(path));
        if (!(value >= min && value <= max))
        {
            throw Fail(path, $"must be in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}], got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    public T OneOf<T>(string path, IReadOnlyDictionary<string, T> options)
    {
        var text = String(path);
        return options.TryGetValue(text, out var value)
            ? value
            : throw Fail(path, $"must be one of {string.Join(", ", options.Keys)}, got {text}");
    }

    public IReadOnlyList<Config> ConfigList(string path) => Guard(path, () => Config.GetConfigList(path));

    public IReadOnlyList<string> StringList(string path) => Guard(path, () => Config.GetStringList(path));

    public IReadOnlyList<double> DoubleRow(string path, Config row, string key) => Guard(path, () => row.GetDecimalList(key).Select(d => (double)d).ToArray());

    public static string Text(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    public static string Range(decimal? min, decimal? max, bool minOpen, bool maxOpen) =>
        $"{(minOpen || min is null ? "(" : "[")}{(min is null ? "-inf" : Text(min.Value))}, {(max is null ? "+inf" : Text(max.Value))}{(maxOpen || max is null ? ")" : "]")}";

    private static T Guard<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (HoconException e)
        {
            throw new RunInputException(e.Message, e);
        }
    }
}
