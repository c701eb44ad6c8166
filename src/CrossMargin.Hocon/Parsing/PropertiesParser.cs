using System.Text;

namespace CrossMargin.Hocon;

/// <summary>
/// Java-style <c>.properties</c> files: <c>key=value</c>, <c>key: value</c> or <c>key value</c> per line,
/// <c>#</c>/<c>!</c> comments, backslash line continuations. Dots in keys make paths; every value is a string.
/// </summary>
internal static class PropertiesParser
{
    public static HoconObject Parse(string text, string source)
    {
        var root = HoconObject.Empty(new HoconOrigin(source, 1, 1));
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].TrimStart();
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                line = line[..^1] + lines[++i].TrimStart();
            }

            var (key, value) = Split(line);
            var origin = new HoconOrigin(source, lineNumber, 1);
            var segments = key.Split('.');
            if (Array.Exists(segments, e => e.Length == 0))
            {
                throw new HoconParseException($"expected a key without empty elements at {origin}, found '{key}'", origin);
            }

            HoconValue node = new HoconScalar(HoconScalarKind.String, value, origin);
            for (var s = segments.Length - 1; s >= 0; s--)
            {
                node = new HoconObject([new(segments[s], node)], origin);
            }

            root = HoconMerger.MergeObjects((HoconObject)node, root);
        }

        return root;
    }

    private static (string Key, string Value) Split(string line)
    {
        var key = new StringBuilder();
        var i = 0;
        for (; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                key.Append(line[++i]);
                continue;
            }

            if (c is '=' or ':' || char.IsWhiteSpace(c))
            {
                break;
            }

            key.Append(c);
        }

        while (i < line.Length && char.IsWhiteSpace(line[i]))
        {
            i++;
        }

        if (i < line.Length && line[i] is '=' or ':')
        {
            i++;
        }

        return (key.ToString(), line[i..].Trim());
    }
}
