using System.Globalization;
using System.Text;

namespace CrossMargin.Cluster.Tests.Compose;

/// <summary>
/// Just enough YAML for a structural check of docker-compose.yml (no Docker engine on these machines): block
/// mappings, block sequences, flow sequences of scalars, plain and quoted scalars, comments. Anchors, aliases,
/// multi-line scalars and flow mappings are refused with the line number, so the compose file stays in the subset
/// this test can read. A mapping is a <see cref="Dictionary{TKey,TValue}"/> of string to node, a sequence a
/// <see cref="List{T}"/> of nodes, a scalar a string (null for an empty value).
/// </summary>
internal static class MiniYaml
{
    private sealed record Line(int Number, int Indent, string Text);

    public static object? Parse(string text)
    {
        var lines = Lines(text);
        var i = 0;
        if (lines.Count == 0)
        {
            return null;
        }

        var root = Block(lines, ref i, lines[0].Indent);
        if (i < lines.Count)
        {
            throw new FormatException($"line {lines[i].Number}: unexpected indentation");
        }

        return root;
    }

    private static List<Line> Lines(string text)
    {
        var list = new List<Line>();
        var number = 0;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            var content = StripComment(raw).TrimEnd();
            if (content.Trim().Length == 0)
            {
                continue;
            }

            if (content.Contains('\t', StringComparison.Ordinal))
            {
                throw new FormatException($"line {number}: tab characters are not allowed in YAML indentation");
            }

            var indent = content.Length - content.TrimStart(' ').Length;
            var body = content.Trim();
            if (body.StartsWith('&') || body.Contains(" &", StringComparison.Ordinal) || body.Contains(" *", StringComparison.Ordinal) || body.StartsWith("<<", StringComparison.Ordinal)
                || body.EndsWith('|') || body.EndsWith('>') || body.Contains(": {", StringComparison.Ordinal))
            {
                throw new FormatException($"line {number}: anchors, aliases, merge keys, block scalars and flow mappings are outside the subset this check reads: {body}");
            }

            list.Add(new Line(number, indent, body));
        }

        return list;
    }

    private static string StripComment(string line)
    {
        char? quote = null;
        for (var k = 0; k < line.Length; k++)
        {
            var c = line[k];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#' && (k == 0 || line[k - 1] == ' '))
            {
                return line[..k];
            }
        }

        return line;
    }

    private static object Block(List<Line> lines, ref int i, int indent) =>
        IsItem(lines[i].Text) ? Sequence(lines, ref i, indent) : Mapping(lines, ref i, indent);

    private static bool IsItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    private static List<object?> Sequence(List<Line> lines, ref int i, int indent)
    {
        var items = new List<object?>();
        while (i < lines.Count && lines[i].Indent == indent && IsItem(lines[i].Text))
        {
            var line = lines[i];
            var rest = line.Text.Length > 1 ? line.Text[2..].Trim() : "";
            i++;
            if (rest.Length == 0)
            {
                items.Add(i < lines.Count && lines[i].Indent > indent ? Block(lines, ref i, lines[i].Indent) : null);
            }
            else if (ColonOf(rest) >= 0)
            {
                throw new FormatException($"line {line.Number}: a mapping inside a sequence item is outside the subset this check reads");
            }
            else
            {
                items.Add(Value(rest, line.Number));
            }
        }

        return items;
    }

    private static Dictionary<string, object?> Mapping(List<Line> lines, ref int i, int indent)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (i < lines.Count && lines[i].Indent == indent && !IsItem(lines[i].Text))
        {
            var line = lines[i];
            var colon = ColonOf(line.Text);
            if (colon < 0)
            {
                throw new FormatException($"line {line.Number}: expected 'key: value', found '{line.Text}'");
            }

            var key = Unquote(line.Text[..colon].Trim());
            var rest = line.Text[(colon + 1)..].Trim();
            i++;
            object? value;
            if (rest.Length > 0)
            {
                value = Value(rest, line.Number);
            }
            else if (i < lines.Count && (lines[i].Indent > indent || (lines[i].Indent == indent && IsItem(lines[i].Text))))
            {
                value = Block(lines, ref i, lines[i].Indent);
            }
            else
            {
                value = null;
            }

            if (!map.TryAdd(key, value))
            {
                throw new FormatException($"line {line.Number}: duplicate key '{key}'");
            }
        }

        if (i < lines.Count && lines[i].Indent > indent)
        {
            throw new FormatException($"line {lines[i].Number}: unexpected indentation");
        }

        return map;
    }

    /// <summary>Index of the colon ending a mapping key (followed by a space or the end of the line), or -1; quoted keys may hold colons.</summary>
    private static int ColonOf(string text)
    {
        var start = 0;
        if (text[0] is '"' or '\'')
        {
            start = text.IndexOf(text[0], 1) + 1;
            if (start == 0)
            {
                return -1;
            }
        }
        else if (text[0] == '[')
        {
            return -1;
        }

        for (var k = start; k < text.Length; k++)
        {
            if (text[k] == ':' && (k == text.Length - 1 || text[k + 1] == ' '))
            {
                return k;
            }

            if (text[k] is '"' or '\'')
            {
                return -1;
            }
        }

        return -1;
    }

    private static object? Value(string text, int line)
    {
        if (text.StartsWith('['))
        {
            if (!text.EndsWith(']'))
            {
                throw new FormatException($"line {line}: a flow sequence must end on its line: {text}");
            }

            return SplitFlow(text[1..^1], line).Select(s => (object?)Unquote(s)).ToList();
        }

        return Unquote(text);
    }

    private static List<string> SplitFlow(string body, int line)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        foreach (var c in body)
        {
            if (quote is { } q)
            {
                current.Append(c);
                if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                current.Append(c);
            }
            else if (c == ',')
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quote is not null)
        {
            throw new FormatException($"line {line}: unterminated quote in a flow sequence");
        }

        if (current.ToString().Trim().Length > 0)
        {
            parts.Add(current.ToString().Trim());
        }

        return parts;
    }

    private static string Unquote(string text)
    {
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            return text[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'')
        {
            return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        return text.ToString(CultureInfo.InvariantCulture);
    }
}
