using System.Globalization;
using System.Text;

namespace CrossMargin.Hocon;

/// <summary>
/// Renders resolved values as indented JSON. With origins on, each field is preceded by a <c>// file:line:col</c>
/// comment (valid HOCON, no longer strict JSON) — what <c>--print-config</c> shows.
/// </summary>
public static class HoconRenderer
{
    /// <summary>Renders <paramref name="value"/> as JSON, optionally with origin comments.</summary>
    public static string Render(HoconValue value, bool withOrigins = false)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0, withOrigins);
        return sb.ToString();
    }

    /// <summary>Quotes <paramref name="text"/> as a JSON string, escaping quotes, backslashes and control characters.</summary>
    public static string QuoteString(string text)
    {
        var sb = new StringBuilder(text.Length + 2);
        sb.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ' || c == '\u2028' || c == '\u2029')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private static void Write(StringBuilder sb, HoconValue value, int indent, bool withOrigins)
    {
        switch (value)
        {
            case HoconObject obj:
                WriteObject(sb, obj, indent, withOrigins);
                break;
            case HoconArray array:
                WriteArray(sb, array, indent, withOrigins);
                break;
            case HoconScalar { Kind: HoconScalarKind.String } s:
                sb.Append(QuoteString(s.Text));
                break;
            case HoconScalar s:
                sb.Append(s.Text);
                break;
            default:
                throw new InvalidOperationException($"cannot render an unresolved value ({value.Describe()}) from {value.Origin}");
        }
    }

    private static void WriteObject(StringBuilder sb, HoconObject obj, int indent, bool withOrigins)
    {
        if (obj.Count == 0)
        {
            sb.Append("{}");
            return;
        }

        sb.Append("{\n");
        var i = 0;
        foreach (var (key, child) in obj)
        {
            if (withOrigins)
            {
                sb.Append(' ', (indent + 1) * 2).Append("// ").Append(child.Origin).Append('\n');
            }

            sb.Append(' ', (indent + 1) * 2).Append(QuoteString(key)).Append(" : ");
            Write(sb, child, indent + 1, withOrigins);
            sb.Append(++i < obj.Count ? ",\n" : "\n");
        }

        sb.Append(' ', indent * 2).Append('}');
    }

    private static void WriteArray(StringBuilder sb, HoconArray array, int indent, bool withOrigins)
    {
        if (array.Count == 0)
        {
            sb.Append("[]");
            return;
        }

        sb.Append("[\n");
        for (var i = 0; i < array.Count; i++)
        {
            sb.Append(' ', (indent + 1) * 2);
            Write(sb, array[i], indent + 1, withOrigins);
            sb.Append(i + 1 < array.Count ? ",\n" : "\n");
        }

        sb.Append(' ', indent * 2).Append(']');
    }
}
