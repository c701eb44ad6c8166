namespace CrossMargin.Hocon;

/// <summary>
/// The environment-variable override convention. A variable whose name starts with <see cref="Prefix"/>
/// (case-insensitive) sets one configuration path: the name is lower-cased, split on double underscores into
/// path elements, and single underscores inside an element become dashes:
/// <c>CROSSMARGIN__persistence__batch_size=5000</c> sets <c>crossmargin.persistence.batch-size</c>.
/// A value starting with <c>[</c>, <c>{</c> or <c>"</c> is parsed as a HOCON value (array, object, quoted string);
/// any other value is taken verbatim as a scalar (a number or <c>true</c>/<c>false</c> when it reads as one).
/// </summary>
public static class EnvironmentOverrides
{
    /// <summary>Names starting with this (any case) are overrides; the prefix itself becomes the <c>crossmargin</c> element.</summary>
    public const string Prefix = "CROSSMARGIN__";

    /// <summary>The configuration path a variable name maps to, or null when the name is not an override.</summary>
    public static string? PathFor(string variableName)
    {
        ArgumentNullException.ThrowIfNull(variableName);
        var segments = Segments(variableName);
        return segments is null ? null : HoconPath.Render(segments);
    }

    /// <summary>Builds the override layer from <paramref name="environment"/>; variables are applied in ordinal name order.</summary>
    public static Config FromEnvironment(IEnumerable<KeyValuePair<string, string>> environment) =>
        new(Build(environment), []);

    internal static HoconObject Build(IEnumerable<KeyValuePair<string, string>> environment)
    {
        var root = HoconObject.Empty(new HoconOrigin("environment", 1, 1));
        foreach (var (name, raw) in environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var segments = Segments(name);
            if (segments is null)
            {
                continue;
            }

            var source = $"environment variable {name}";
            var value = ParseValue(raw, source);
            for (var i = segments.Count - 1; i >= 0; i--)
            {
                value = new HoconObject([new(segments[i], value)], value.Origin);
            }

            root = HoconMerger.MergeObjects((HoconObject)value, root);
        }

        return root;
    }

    private static List<string>? Segments(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || name.Length == Prefix.Length)
        {
            return null;
        }

        var parts = name.ToLowerInvariant().Split("__");
        if (Array.Exists(parts, p => p.Length == 0))
        {
            return null;
        }

        return parts.Select(p => p.Replace('_', '-')).ToList();
    }

    private static HoconValue ParseValue(string raw, string source)
    {
        var trimmed = raw.Trim();
        var origin = new HoconOrigin(source, 1, 1);
        if (trimmed.Length > 0 && trimmed[0] is '[' or '{' or '"')
        {
            return HoconParser.ParseSingleValue(trimmed, source);
        }

        var kind = trimmed is "true" or "false" ? HoconScalarKind.Boolean
            : HoconNumber.IsNumber(trimmed) ? HoconScalarKind.Number
            : HoconScalarKind.String;
        return new HoconScalar(kind, kind == HoconScalarKind.String ? raw : trimmed, origin);
    }
}
