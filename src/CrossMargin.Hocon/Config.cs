using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CrossMargin.Hocon;

/// <summary>
/// A resolved configuration tree with typed getters, named as in Akka.NET. Paths are HOCON path expressions
/// (<c>crossmargin.persistence.batch-size</c>, <c>a."b.c"</c>).
/// </summary>
/// <remarks>
/// Immutable and thread-safe: every operation returns a new instance, so one <see cref="Config"/> may be shared by
/// any number of threads. Getters without a default throw <see cref="ConfigurationException"/> when the path is
/// missing (or set to <c>null</c>) or the value has the wrong type; overloads taking a default return it when the
/// path is missing or <c>null</c> (but still throw on a wrong type). Errors name the full path from the root of the
/// original configuration, even on a <see cref="GetConfig"/> sub-tree.
/// </remarks>
public sealed class Config
{
    private readonly IReadOnlyList<string> _prefix;

    internal Config(HoconObject root, IReadOnlyList<string> prefix)
    {
        Root = root;
        _prefix = prefix;
    }

    /// <summary>The root object of this (sub-)configuration.</summary>
    public HoconObject Root { get; }

    /// <summary>True when the root object has no keys.</summary>
    public bool IsEmpty => Root.Count == 0;

    /// <summary>The value at <paramref name="path"/>, or null when it is absent or set to <c>null</c>.</summary>
    public HoconValue? GetValue(string path)
    {
        var segments = ParsePath(path);
        HoconValue current = Root;
        foreach (var segment in segments)
        {
            if (current is not HoconObject obj || !obj.TryGetValue(segment, out var next))
            {
                return null;
            }

            current = next;
        }

        return current is HoconScalar { Kind: HoconScalarKind.Null } ? null : current;
    }

    /// <summary>True when <paramref name="path"/> holds a value other than <c>null</c>.</summary>
    public bool HasPath(string path) => GetValue(path) is not null;

    /// <summary>The string at <paramref name="path"/>; numbers and booleans give their text.</summary>
    public string GetString(string path) => Text(path, Required(path), "a string");

    /// <summary>The string at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent.</summary>
    [return: NotNullIfNotNull(nameof(defaultValue))]
    public string? GetString(string path, string? defaultValue) =>
        GetValue(path) is { } value ? Text(path, value, "a string") : defaultValue;

    /// <summary>The 32-bit integer at <paramref name="path"/> (a number or a numeric string).</summary>
    public int GetInt(string path) => Convert(path, Required(path), "a 32-bit integer", ParseInt);

    /// <summary>The 32-bit integer at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public int GetInt(string path, int defaultValue) => Optional(path, defaultValue, "a 32-bit integer", ParseInt);

    /// <summary>The 64-bit integer at <paramref name="path"/>.</summary>
    public long GetLong(string path) => Convert(path, Required(path), "a 64-bit integer", ParseLong);

    /// <summary>The 64-bit integer at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public long GetLong(string path, long defaultValue) => Optional(path, defaultValue, "a 64-bit integer", ParseLong);

    /// <summary>The floating-point number at <paramref name="path"/>. Never use this for money: see <see cref="GetDecimal(string)"/>.</summary>
    public double GetDouble(string path) => Convert(path, Required(path), "a number", ParseDouble);

    /// <summary>The floating-point number at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public double GetDouble(string path, double defaultValue) => Optional(path, defaultValue, "a number", ParseDouble);

    /// <summary>The decimal at <paramref name="path"/>, parsed exactly from the literal text (never through a double).</summary>
    public decimal GetDecimal(string path) => Convert(path, Required(path), "a decimal number", ParseDecimal);

    /// <summary>The decimal at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public decimal GetDecimal(string path, decimal defaultValue) => Optional(path, defaultValue, "a decimal number", ParseDecimal);

    /// <summary>The boolean at <paramref name="path"/>: <c>true</c>/<c>false</c>, <c>on</c>/<c>off</c> or <c>yes</c>/<c>no</c>.</summary>
    public bool GetBoolean(string path) => Convert(path, Required(path), "a boolean (true/false, on/off, yes/no)", ParseBoolean);

    /// <summary>The boolean at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public bool GetBoolean(string path, bool defaultValue) =>
        Optional(path, defaultValue, "a boolean (true/false, on/off, yes/no)", ParseBoolean);

    /// <summary>
    /// The duration at <paramref name="path"/> (<c>10s</c>, <c>100 ms</c>, <c>5 minutes</c>; a bare number is milliseconds).
    /// <c>infinite</c> gives <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public TimeSpan GetTimeSpan(string path) => GetTimeSpan(path, allowInfinite: true);

    /// <summary>The duration at <paramref name="path"/>; <c>infinite</c> is an error unless <paramref name="allowInfinite"/>.</summary>
    public TimeSpan GetTimeSpan(string path, bool allowInfinite) =>
        Convert(path, Required(path), "a duration", t => ParseDuration(t, allowInfinite));

    /// <summary>The duration at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public TimeSpan GetTimeSpan(string path, TimeSpan defaultValue, bool allowInfinite = true) =>
        Optional(path, defaultValue, "a duration", t => ParseDuration(t, allowInfinite));

    /// <summary>
    /// The size in bytes at <paramref name="path"/> (<c>64k</c> = 65536, <c>10 MiB</c>, <c>1GB</c> = 10^9; a bare number is
    /// bytes), or null when the path is absent — Akka.NET's behaviour for this getter.
    /// </summary>
    public long? GetByteSize(string path) =>
        GetValue(path) is { } value ? Convert(path, value, "a size in bytes", ParseByteSize) : null;

    /// <summary>The size in bytes at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public long GetByteSize(string path, long defaultValue) => Optional(path, defaultValue, "a size in bytes", ParseByteSize);

    /// <summary>The list of strings at <paramref name="path"/> (an array, or an object with keys 0, 1, 2...).</summary>
    public IReadOnlyList<string> GetStringList(string path) => List(path, Required(path), "a string", (p, v) => Text(p, v, "a string"));

    /// <summary>The list of strings at <paramref name="path"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public IReadOnlyList<string> GetStringList(string path, IReadOnlyList<string> defaultValue) =>
        GetValue(path) is { } value ? List(path, value, "a string", (p, v) => Text(p, v, "a string")) : defaultValue;

    /// <summary>The list of 32-bit integers at <paramref name="path"/>.</summary>
    public IReadOnlyList<int> GetIntList(string path) =>
        List(path, Required(path), "a 32-bit integer", (p, v) => Convert(p, v, "a 32-bit integer", ParseInt));

    /// <summary>The list of 64-bit integers at <paramref name="path"/>.</summary>
    public IReadOnlyList<long> GetLongList(string path) =>
        List(path, Required(path), "a 64-bit integer", (p, v) => Convert(p, v, "a 64-bit integer", ParseLong));

    /// <summary>The list of decimals at <paramref name="path"/>, each parsed exactly.</summary>
    public IReadOnlyList<decimal> GetDecimalList(string path) =>
        List(path, Required(path), "a decimal number", (p, v) => Convert(p, v, "a decimal number", ParseDecimal));

    /// <summary>The list of objects at <paramref name="path"/>, each as a <see cref="Config"/>.</summary>
    public IReadOnlyList<Config> GetConfigList(string path)
    {
        var segments = ParsePath(path);
        return List(path, Required(path), "an object", (p, v) => v is HoconObject o
            ? new Config(o, [.. _prefix, .. segments])
            : throw WrongType(p, v, "an object"));
    }

    /// <summary>
    /// The object at <paramref name="path"/> as a configuration of its own; an empty configuration when absent.
    /// Errors from the result still name full paths.
    /// </summary>
    public Config GetConfig(string path)
    {
        var segments = ParsePath(path);
        return GetValue(path) switch
        {
            null => new Config(HoconObject.Empty(Root.Origin), [.. _prefix, .. segments]),
            HoconObject obj => new Config(obj, [.. _prefix, .. segments]),
            var other => throw WrongType(path, other, "an object"),
        };
    }

    /// <summary>Keys of the root object in written order.</summary>
    public IReadOnlyList<string> GetKeys() => Root.KeyList;

    /// <summary>Keys of the object at <paramref name="path"/>; empty when absent; an error when it is not an object.</summary>
    public IReadOnlyList<string> GetKeys(string path) => GetConfig(path).Root.KeyList;

    /// <summary>The root's fields in written order.</summary>
    public IEnumerable<KeyValuePair<string, HoconValue>> AsEnumerable() => Root;

    /// <summary>
    /// This configuration over <paramref name="fallback"/>: values here win, objects merge deeply. Both are already
    /// resolved; to resolve substitutions across layers use <see cref="ConfigurationFactory.ParseString(string, string?, Config)"/>
    /// or <see cref="ConfigurationFactory.Load(string?)"/>.
    /// </summary>
    public Config WithFallback(Config fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (fallback.IsEmpty)
        {
            return this;
        }

        return new Config(HoconMerger.MergeObjects(Root, fallback.Root), _prefix);
    }

    /// <summary>The whole tree as indented JSON.</summary>
    public override string ToString() => HoconRenderer.Render(Root);

    /// <summary>The whole tree as indented JSON; with <paramref name="withOrigins"/>, each key is preceded by a <c>// file:line:col</c> comment.</summary>
    public string Render(bool withOrigins) => HoconRenderer.Render(Root, withOrigins);

    private string FullPath(string path) => _prefix.Count == 0 ? path : $"{HoconPath.Render(_prefix)}.{path}";

    private IReadOnlyList<string> ParsePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return path.Length == 0 ? [] : HoconPath.Parse(path, new HoconOrigin("path argument", 1, 1));
        }
        catch (HoconParseException e)
        {
            throw new ConfigurationException(FullPath(path), $"'{path}' is not a valid path: {e.Message}", null, e);
        }
    }

    private HoconValue Required(string path) =>
        GetValue(path) ?? throw new ConfigurationException(FullPath(path), $"{FullPath(path)} is missing");

    private T Optional<T>(string path, T defaultValue, string expected, Func<string, (bool Ok, T Value, string? Problem)> parse) =>
        GetValue(path) is { } value ? Convert(path, value, expected, parse) : defaultValue;

    private string Text(string path, HoconValue value, string expected) =>
        value is HoconScalar scalar ? scalar.Text : throw WrongType(path, value, expected);

    private T Convert<T>(string path, HoconValue value, string expected, Func<string, (bool Ok, T Value, string? Problem)> parse)
    {
        var text = Text(path, value, expected);
        var (ok, result, problem) = parse(text);
        return ok ? result : throw WrongType(path, value, expected, problem);
    }

    private IReadOnlyList<T> List<T>(string path, HoconValue value, string expected, Func<string, HoconValue, T> convert)
    {
        var items = value switch
        {
            HoconArray array => array.ToList(),
            HoconObject obj when obj.Count > 0 && obj.Keys.All(k => int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out _)) =>
                obj.OrderBy(kv => int.Parse(kv.Key, CultureInfo.InvariantCulture)).Select(kv => kv.Value).ToList(),
            _ => throw WrongType(path, value, $"a list of {expected}"),
        };
        var result = new List<T>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            result.Add(convert($"{path}.{i}", items[i]));
        }

        return result;
    }

    private ConfigurationException WrongType(string path, HoconValue value, string expected, string? problem = null)
    {
        var full = FullPath(path);
        var detail = problem is null ? "" : $" ({problem})";
        return new ConfigurationException(full, $"{full}: expected {expected} but found {value.Describe()} at {value.Origin}{detail}", value.Origin);
    }

    private static (bool, int, string?) ParseInt(string text) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? (true, v, null) : (false, 0, null);

    private static (bool, long, string?) ParseLong(string text) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? (true, v, null) : (false, 0, null);

    private static (bool, double, string?) ParseDouble(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (true, v, null) : (false, 0, null);

    private static (bool, decimal, string?) ParseDecimal(string text) =>
        decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (true, v, null) : (false, 0, null);

    private static (bool, bool, string?) ParseBoolean(string text) => text.Trim() switch
    {
        "true" or "on" or "yes" => (true, true, null),
        "false" or "off" or "no" => (true, false, null),
        _ => (false, false, null),
    };

    private static (bool, TimeSpan, string?) ParseDuration(string text, bool allowInfinite) =>
        DurationParser.TryParse(text, allowInfinite, out var v, out var problem) ? (true, v, null) : (false, default, problem);

    private static (bool, long, string?) ParseByteSize(string text) =>
        ByteSizeParser.TryParse(text, out var v, out var problem) ? (true, v, null) : (false, 0, problem);
}
