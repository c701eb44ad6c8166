using System.Text;

namespace CrossMargin.Hocon;

/// <summary>
/// Splits HOCON text into tokens in one forward pass (no regular expressions, no backtracking).
/// Comments (<c>#</c> and <c>//</c> to end of line) are dropped; the newline that ends them is kept.
/// </summary>
internal sealed class HoconTokenizer
{
    private readonly string _text;
    private readonly string _source;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private HoconTokenizer(string text, string source)
    {
        _text = text;
        _source = source;
    }

    /// <summary>A tokenizer positioned at the start of <paramref name="text"/>; call <see cref="Next"/> for each token.</summary>
    public static HoconTokenizer Create(string text, string source) => new(text, source);

    /// <summary>All tokens at once (tests and tools; the parser pulls tokens one by one).</summary>
    public static List<HoconToken> Tokenize(string text, string source)
    {
        var tokenizer = new HoconTokenizer(text, source);
        var tokens = new List<HoconToken>();
        while (true)
        {
            var token = tokenizer.Next();
            tokens.Add(token);
            if (token.Kind == HoconTokenKind.End)
            {
                return tokens;
            }
        }
    }

    /// <summary>HOCON whitespace other than the newline: Unicode space separators, the BOM and ASCII control separators.</summary>
    public static bool IsWhitespace(char c) => c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF');

    private HoconOrigin Here() => new(_source, _line, _pos - _lineStart + 1);

    private HoconToken Token(HoconTokenKind kind, string text, int line, int column, bool optional = false) =>
        new(kind, text, _source, line, column, optional);

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private bool AtEnd => _pos >= _text.Length;

    /// <summary>The next token; <see cref="HoconTokenKind.End"/> forever once the text is used up.</summary>
    public HoconToken Next()
    {
        var line = _line;
        var column = _pos - _lineStart + 1;
        if (AtEnd)
        {
            return Token(HoconTokenKind.End, "", line, column);
        }

        var c = _text[_pos];
        if (c == '#' || (c == '/' && Peek(1) == '/'))
        {
            while (!AtEnd && _text[_pos] != '\n')
            {
                _pos++;
            }

            return Next();
        }

        switch (c)
        {
            case '\n':
                _pos++;
                _line++;
                _lineStart = _pos;
                return Token(HoconTokenKind.Newline, "\n", line, column);
            case '{': _pos++; return Token(HoconTokenKind.OpenBrace, "{", line, column);
            case '}': _pos++; return Token(HoconTokenKind.CloseBrace, "}", line, column);
            case '[': _pos++; return Token(HoconTokenKind.OpenBracket, "[", line, column);
            case ']': _pos++; return Token(HoconTokenKind.CloseBracket, "]", line, column);
            case ',': _pos++; return Token(HoconTokenKind.Comma, ",", line, column);
            case ':': _pos++; return Token(HoconTokenKind.Colon, ":", line, column);
            case '=': _pos++; return Token(HoconTokenKind.Equals, "=", line, column);
            case '+':
                if (Peek(1) == '=')
                {
                    _pos += 2;
                    return Token(HoconTokenKind.PlusEquals, "+=", line, column);
                }

                throw Error(Here(), "'+=' or a value", "'+'");
            case '"':
                return Peek(1) == '"' && Peek(2) == '"' ? TripleQuoted(line, column) : Quoted(line, column);
            case '$':
                return Substitution(line, column);
        }

        if (IsWhitespace(c))
        {
            var start = _pos;
            while (!AtEnd && IsWhitespace(_text[_pos]))
            {
                _pos++;
            }

            var whitespace = _pos == start + 1 && c == ' ' ? " " : _text[start.._pos];
            return Token(HoconTokenKind.Whitespace, whitespace, line, column);
        }

        return Unquoted(line, column);
    }

    private static bool IsForbiddenInUnquoted(char c) =>
        c is '$' or '"' or '{' or '}' or '[' or ']' or ':' or '=' or ',' or '+' or '#' or '`' or '^' or '?' or '!' or '@' or '*' or '&' or '\\';

    private HoconToken Unquoted(int line, int column)
    {
        var start = _pos;
        while (!AtEnd)
        {
            var c = _text[_pos];
            if (c == '\n' || IsWhitespace(c) || IsForbiddenInUnquoted(c) || (c == '/' && Peek(1) == '/'))
            {
                break;
            }

            _pos++;
        }

        if (_pos == start)
        {
            throw Error(Here(), "a key or a value", $"'{_text[_pos]}' (not allowed in an unquoted string; quote it)");
        }

        return Token(HoconTokenKind.Unquoted, _text[start.._pos], line, column);
    }

    private HoconToken Quoted(int line, int column)
    {
        var origin = new HoconOrigin(_source, line, column);
        _pos++; // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd || _text[_pos] == '\n')
            {
                throw Error(origin, "a closing '\"' for the string starting here", AtEnd ? "end of input" : "a newline");
            }

            var c = _text[_pos++];
            if (c == '"')
            {
                return Token(HoconTokenKind.QuotedString, sb.ToString(), line, column);
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            var escapeOrigin = new HoconOrigin(_source, _line, _pos - _lineStart);
            var e = AtEnd ? '\0' : _text[_pos++];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length || !ushort.TryParse(_text.AsSpan(_pos, 4), System.Globalization.NumberStyles.HexNumber, null, out var code))
                    {
                        throw Error(escapeOrigin, "four hex digits after '\\u'", "something else");
                    }

                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw Error(escapeOrigin, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", $"'\\{e}'");
            }
        }
    }

    private HoconToken TripleQuoted(int line, int column)
    {
        var origin = new HoconOrigin(_source, line, column);
        _pos += 3;
        var start = _pos;
        while (true)
        {
            if (AtEnd)
            {
                throw Error(origin, "a closing '\"\"\"' for the string starting here", "end of input");
            }

            var c = _text[_pos];
            if (c == '"' && Peek(1) == '"' && Peek(2) == '"')
            {
                // A run of three or more quotes closes the string; quotes beyond the last three belong to it.
                var runEnd = _pos;
                while (runEnd < _text.Length && _text[runEnd] == '"')
                {
                    runEnd++;
                }

                var content = _text[start..(runEnd - 3)];
                _pos = runEnd;
                return Token(HoconTokenKind.QuotedString, content, line, column);
            }

            if (c == '\n')
            {
                _line++;
                _lineStart = _pos + 1;
            }

            _pos++;
        }
    }

    private HoconToken Substitution(int line, int column)
    {
        var origin = new HoconOrigin(_source, line, column);
        if (Peek(1) != '{')
        {
            throw Error(origin, "'${' to start a substitution", "'$' (not allowed in an unquoted string; quote it)");
        }

        _pos += 2;
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            _pos++;
        }

        var start = _pos;
        var inQuotes = false;
        while (true)
        {
            if (AtEnd || _text[_pos] == '\n')
            {
                throw Error(origin, "'}' to close the substitution starting here", AtEnd ? "end of input" : "a newline");
            }

            var c = _text[_pos];
            if (inQuotes && c == '\\')
            {
                _pos += 2;
                continue;
            }

            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == '}' && !inQuotes)
            {
                break;
            }

            _pos++;
        }

        var body = _text[start.._pos].Trim();
        _pos++; // closing brace
        return Token(HoconTokenKind.Substitution, body, line, column, optional);
    }

    private HoconParseException Error(HoconOrigin at, string expected, string found) =>
        new($"expected {expected} at {at}, found {found}", at);
}
