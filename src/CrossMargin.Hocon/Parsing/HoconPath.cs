using System.Text;

namespace CrossMargin.Hocon;

/// <summary>
/// Path expressions: <c>a.b."c.d"</c> is three elements; quoted elements may hold dots or be empty.
/// Used for getter paths and substitution bodies.
/// </summary>
internal static class HoconPath
{
    /// <summary>Splits <paramref name="expression"/> into elements, or throws <see cref="HoconParseException"/> naming <paramref name="origin"/>.</summary>
    public static IReadOnlyList<string> Parse(string expression, HoconOrigin origin)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var text = expression.Trim();
        if (text.Length == 0)
        {
            throw new HoconParseException($"expected a path at {origin}, found an empty path", origin);
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                i = ReadQuoted(text, i, current, origin);
                quoted = true;
            }
            else if (c == '.')
            {
                Finish(segments, current, quoted, expression, origin);
                quoted = false;
            }
            else
            {
                current.Append(c);
            }
        }

        Finish(segments, current, quoted, expression, origin);
        return segments;
    }

    /// <summary>Renders elements back to a path expression, quoting those that need it.</summary>
    public static string Render(IEnumerable<string> segments) => string.Join('.', segments.Select(Quote));

    /// <summary>Quotes one element when it is empty or holds characters that would not survive as an unquoted key.</summary>
    public static string Quote(string segment)
    {
        var plain = segment.Length > 0 && segment.All(c => char.IsLetterOrDigit(c) || c is '-' or '_');
        return plain ? segment : HoconRenderer.QuoteString(segment);
    }

    private static int ReadQuoted(string text, int start, StringBuilder into, HoconOrigin origin)
    {
        for (var i = start + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                return i;
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                i++;
                into.Append(text[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                continue;
            }

            into.Append(c);
        }

        throw new HoconParseException($"expected a closing '\"' in path '{text}' at {origin}, found end of path", origin);
    }

    private static void Finish(List<string> segments, StringBuilder current, bool quoted, string expression, HoconOrigin origin)
    {
        if (current.Length == 0 && !quoted)
        {
            throw new HoconParseException(
                $"expected a path element at {origin}, found an empty element in '{expression}' (quote empty elements: \"\")", origin);
        }

        segments.Add(current.ToString());
        current.Clear();
    }
}
