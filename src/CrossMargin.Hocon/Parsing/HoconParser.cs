using System.Text;

namespace CrossMargin.Hocon;

/// <summary>
/// Builds an unresolved tree from tokens: root braces optional, separators and commas optional where HOCON
/// allows, path keys, duplicate-key merging, concatenation, <c>+=</c>, self-references and includes.
/// Substitutions stay in the tree; <see cref="HoconResolver"/> replaces them.
/// </summary>
internal sealed class HoconParser
{
    private readonly HoconTokenizer _tokenizer;
    private readonly List<HoconToken> _lookahead = new(4);
    private readonly string _source;
    private readonly HoconIncluder _includer;
    private readonly IReadOnlyList<string> _substitutionPrefix;
    private int _index;
    private int _depth;

    /// <summary>Deeper nesting than this is refused with an error instead of overflowing the stack.</summary>
    internal const int MaxNesting = 256;

    private HoconParser(HoconTokenizer tokenizer, string source, HoconIncluder includer, IReadOnlyList<string> prefix)
    {
        _tokenizer = tokenizer;
        _source = source;
        _includer = includer;
        _substitutionPrefix = prefix;
    }

    /// <summary>
    /// Parses a whole document. <paramref name="prefix"/> is the path at which the document is included: its
    /// substitutions are made relative to it, as HOCON requires for included files.
    /// </summary>
    public static HoconObject Parse(string text, string source, HoconIncluder includer, IReadOnlyList<string> prefix)
    {
        var parser = new HoconParser(HoconTokenizer.Create(text, source), source, includer, prefix);
        return parser.ParseRoot();
    }

    /// <summary>Parses text that must be exactly one value (used for environment overrides).</summary>
    public static HoconValue ParseSingleValue(string text, string source)
    {
        var parser = new HoconParser(HoconTokenizer.Create(text, source), source, HoconIncluder.None, []);
        parser.SkipWhitespaceAndNewlines();
        var value = parser.ParseValue(null);
        parser.SkipWhitespaceAndNewlines();
        parser.Expect(HoconTokenKind.End, "end of input after the value");
        return value;
    }

    private HoconToken Peek => PeekAt(0);

    /// <summary>Looks <paramref name="ahead"/> tokens forward (at most 2 are ever needed); tokens are pulled lazily.</summary>
    private HoconToken PeekAt(int ahead)
    {
        while (_lookahead.Count - _index <= ahead)
        {
            _lookahead.Add(_tokenizer.Next());
        }

        return _lookahead[_index + ahead];
    }

    private HoconToken Next()
    {
        var token = Peek;
        if (token.Kind == HoconTokenKind.End)
        {
            return token;
        }

        _index++;
        if (_index == _lookahead.Count)
        {
            _lookahead.Clear();
            _index = 0;
        }

        return token;
    }

    private HoconObject ParseRoot()
    {
        SkipWhitespaceAndNewlines();
        HoconObject root;
        if (Peek.Kind == HoconTokenKind.OpenBrace)
        {
            root = ParseObject(Next(), _substitutionPrefix, braced: true);
            SkipWhitespaceAndNewlines();
            Expect(HoconTokenKind.End, "end of input after the root object");
        }
        else if (Peek.Kind == HoconTokenKind.OpenBracket)
        {
            throw Error("an object at the root (a configuration cannot be an array)", Peek);
        }
        else
        {
            root = ParseObject(Peek, _substitutionPrefix, braced: false);
        }

        return root;
    }

    /// <summary>Fields until '}' (braced) or end of input. <paramref name="path"/> is the object's absolute path, or null inside arrays.</summary>
    private HoconObject ParseObject(HoconToken open, IReadOnlyList<string>? path, bool braced)
    {
        var builder = new HoconObjectBuilder(open.Origin);
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek;
            if (braced && token.Kind == HoconTokenKind.CloseBrace)
            {
                Next();
                return builder.Build();
            }

            if (token.Kind == HoconTokenKind.End)
            {
                if (braced)
                {
                    throw new HoconParseException(
                        $"expected '}}' to close the '{{' at {open.Origin} at {token.Origin}, found end of input", token.Origin);
                }

                return builder.Build();
            }

            if (IsInclude())
            {
                ParseInclude(builder, path);
            }
            else
            {
                ParseField(builder, path, braced);
            }

            SkipWhitespace();
            var after = Peek;
            if (after.Kind == HoconTokenKind.Comma)
            {
                Next();
                SkipWhitespaceAndNewlines();
                if (Peek.Kind == HoconTokenKind.Comma)
                {
                    throw Error(braced ? "a key or '}'" : "a key", Peek);
                }
            }
            else if (after.Kind != HoconTokenKind.Newline && after.Kind != HoconTokenKind.End
                     && !(braced && after.Kind == HoconTokenKind.CloseBrace))
            {
                throw Error(braced ? "',', a newline or '}'" : "',' or a newline", after);
            }
        }
    }

    private void ParseField(HoconObjectBuilder builder, IReadOnlyList<string>? path, bool braced)
    {
        var keyToken = Peek;
        var key = ParseKey(braced);
        SkipWhitespaceAndNewlines();
        var separator = Peek;
        var fullPath = path is null ? null : PathSegments.Concat(path, key);
        HoconValue value;
        switch (separator.Kind)
        {
            case HoconTokenKind.Colon:
            case HoconTokenKind.Equals:
                Next();
                SkipWhitespaceAndNewlines();
                value = ParseValue(fullPath);
                break;
            case HoconTokenKind.PlusEquals:
                Next();
                SkipWhitespaceAndNewlines();
                value = Append(ParseValue(null), fullPath, separator);
                break;
            case HoconTokenKind.OpenBrace:
                value = ParseValue(fullPath);
                break;
            default:
                throw Error($"':', '=' or '{{' after the key '{HoconPath.Render(key)}'", separator);
        }

        if (fullPath is not null && value is not HoconSelfReference && RefersTo(value, fullPath))
        {
            value = new HoconSelfReference(value, fullPath, null);
        }

        builder.Set(key, 0, value, keyToken.Origin);
    }

    /// <summary><c>a += v</c> means <c>a = ${?a} [v]</c>.</summary>
    private HoconSelfReference Append(HoconValue element, IReadOnlyList<string>? fullPath, HoconToken at)
    {
        if (fullPath is null)
        {
            throw new HoconParseException($"'+=' is not supported inside an array (at {at.Origin})", at.Origin);
        }

        var self = new HoconSubstitution(fullPath, optional: true, HoconPath.Render(fullPath), at.Origin);
        var concatenation = new HoconConcatenation([self, new HoconArray([element], element.Origin)], at.Origin);
        return new HoconSelfReference(concatenation, fullPath, null);
    }

    private static bool RefersTo(HoconValue value, IReadOnlyList<string> path) => value switch
    {
        HoconSubstitution s => PathSegments.StartsWith(s.Path, path),
        HoconConcatenation c => c.Pieces.Any(p => p is HoconSubstitution s && PathSegments.StartsWith(s.Path, path)),
        _ => false,
    };

    /// <summary>A key: quoted and unquoted pieces (with the whitespace between them); unquoted dots split elements.</summary>
    private List<string> ParseKey(bool braced)
    {
        var start = Peek;
        if (start.Kind is not (HoconTokenKind.Unquoted or HoconTokenKind.QuotedString))
        {
            throw Error(braced ? "'}' or a key" : "a key", start);
        }

        var segments = new List<string>();
        var current = new StringBuilder();
        var currentQuoted = false;
        while (true)
        {
            var token = Peek;
            if (token.Kind == HoconTokenKind.QuotedString)
            {
                current.Append(token.Text);
                currentQuoted = true;
            }
            else if (token.Kind == HoconTokenKind.Unquoted)
            {
                var parts = token.Text.Split('.');
                for (var p = 0; p < parts.Length; p++)
                {
                    if (p > 0)
                    {
                        FinishKeySegment(segments, current, currentQuoted, token);
                        currentQuoted = false;
                    }

                    current.Append(parts[p]);
                }
            }
            else if (token.Kind == HoconTokenKind.Whitespace && PeekAt(1).Kind is HoconTokenKind.Unquoted or HoconTokenKind.QuotedString)
            {
                current.Append(token.Text);
            }
            else
            {
                break;
            }

            Next();
        }

        FinishKeySegment(segments, current, currentQuoted, start);
        return segments;
    }

    private static void FinishKeySegment(List<string> segments, StringBuilder current, bool quoted, HoconToken at)
    {
        if (current.Length == 0 && !quoted)
        {
            throw new HoconParseException(
                $"expected a key element at {at.Origin}, found an empty element in '{at.Text}' (quote empty elements: \"\")", at.Origin);
        }

        segments.Add(current.ToString());
        current.Clear();
    }

    /// <summary>
    /// One value, possibly a concatenation of several pieces on the same line. <paramref name="path"/> is the
    /// field's absolute path (for objects written directly as the value), or null.
    /// </summary>
    private HoconValue ParseValue(IReadOnlyList<string>? path)
    {
        var pieces = new List<HoconValue>();
        var first = Peek;
        while (true)
        {
            var token = Peek;
            switch (token.Kind)
            {
                case HoconTokenKind.Whitespace:
                    if (pieces.Count == 0 || !StartsValue(PeekAt(1).Kind))
                    {
                        return Combine(pieces, first);
                    }

                    pieces.Add(new HoconConcatenation.Whitespace(token.Text, token.Origin));
                    break;
                case HoconTokenKind.QuotedString:
                    pieces.Add(new HoconScalar(HoconScalarKind.String, token.Text, token.Origin));
                    break;
                case HoconTokenKind.Unquoted:
                    pieces.Add(new HoconUnquotedText(token.Text, token.Origin));
                    break;
                case HoconTokenKind.Substitution:
                    var segments = HoconPath.Parse(token.Text, token.Origin);
                    var absolute = _substitutionPrefix.Count == 0 ? segments : PathSegments.Concat(_substitutionPrefix, segments);
                    pieces.Add(new HoconSubstitution(absolute, token.Optional, token.Text, token.Origin));
                    break;
                case HoconTokenKind.OpenBrace:
                    Next();
                    Enter(token);
                    pieces.Add(ParseObject(token, pieces.Count == 0 ? path : null, braced: true));
                    _depth--;
                    continue;
                case HoconTokenKind.OpenBracket:
                    Next();
                    Enter(token);
                    pieces.Add(ParseArray(token));
                    _depth--;
                    continue;
                default:
                    return Combine(pieces, first);
            }

            Next();
        }
    }

    private static bool StartsValue(HoconTokenKind kind) => kind is HoconTokenKind.QuotedString or HoconTokenKind.Unquoted
        or HoconTokenKind.Substitution or HoconTokenKind.OpenBrace or HoconTokenKind.OpenBracket;

    private HoconValue Combine(List<HoconValue> pieces, HoconToken first)
    {
        if (pieces.Count == 0)
        {
            throw Error("a value", first);
        }

        if (pieces.Count == 1)
        {
            return pieces[0] is HoconUnquotedText u ? Classify(u) : pieces[0];
        }

        if (pieces.TrueForAll(p => p is HoconScalar or HoconUnquotedText or HoconConcatenation.Whitespace))
        {
            var text = new StringBuilder();
            foreach (var piece in pieces)
            {
                text.Append(TextOf(piece));
            }

            return new HoconScalar(HoconScalarKind.String, text.ToString(), first.Origin);
        }

        var meaningful = pieces.Where(p => p is not HoconConcatenation.Whitespace).ToList();
        if (meaningful.TrueForAll(p => p is HoconArray))
        {
            return new HoconArray(meaningful.SelectMany(p => (HoconArray)p), first.Origin);
        }

        if (meaningful.TrueForAll(p => p is HoconObject))
        {
            var merged = (HoconObject)meaningful[0];
            for (var i = 1; i < meaningful.Count; i++)
            {
                merged = (HoconObject)HoconMerger.Merge(meaningful[i], merged);
            }

            return merged;
        }

        var kinds = meaningful.Where(p => p is not HoconSubstitution).Select(KindName).Distinct().ToList();
        if (kinds.Count > 1)
        {
            throw new HoconParseException(
                $"cannot concatenate {string.Join(" and ", kinds)} in one value at {first.Origin}", first.Origin);
        }

        return new HoconConcatenation(pieces.Select(p => p is HoconUnquotedText u ? Classify(u) : p).ToList(), first.Origin);
    }

    private static string KindName(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconArray => "an array",
        _ => "a string",
    };

    private static string TextOf(HoconValue piece) => piece switch
    {
        HoconScalar s => s.Text,
        HoconUnquotedText u => u.Text,
        HoconConcatenation.Whitespace w => w.Text,
        _ => throw new InvalidOperationException("not a simple value"),
    };

    /// <summary>A lone unquoted token is a number, boolean or null when it reads as one; otherwise a string.</summary>
    internal static HoconScalar Classify(HoconUnquotedText token)
    {
        var text = token.Text;
        var kind = text switch
        {
            "true" or "false" => HoconScalarKind.Boolean,
            "null" => HoconScalarKind.Null,
            _ when HoconNumber.IsNumber(text) => HoconScalarKind.Number,
            _ => HoconScalarKind.String,
        };
        return new HoconScalar(kind, text, token.Origin);
    }

    private HoconArray ParseArray(HoconToken open)
    {
        var items = new List<HoconValue>();
        SkipWhitespaceAndNewlines();
        if (Peek.Kind == HoconTokenKind.CloseBracket)
        {
            Next();
            return new HoconArray(items, open.Origin);
        }

        while (true)
        {
            items.Add(ParseValue(null));
            SkipWhitespace();
            var token = Peek;
            if (token.Kind == HoconTokenKind.Comma)
            {
                Next();
                SkipWhitespaceAndNewlines();
                if (Peek.Kind == HoconTokenKind.CloseBracket)
                {
                    Next();
                    return new HoconArray(items, open.Origin);
                }

                continue;
            }

            if (token.Kind == HoconTokenKind.Newline)
            {
                SkipWhitespaceAndNewlines();
                if (Peek.Kind == HoconTokenKind.CloseBracket)
                {
                    Next();
                    return new HoconArray(items, open.Origin);
                }

                continue;
            }

            if (token.Kind == HoconTokenKind.CloseBracket)
            {
                Next();
                return new HoconArray(items, open.Origin);
            }

            if (token.Kind == HoconTokenKind.End)
            {
                throw new HoconParseException(
                    $"expected ']' to close the '[' at {open.Origin} at {token.Origin}, found end of input", token.Origin);
            }

            throw Error("',', a newline or ']'", token);
        }
    }

    private bool IsInclude()
    {
        if (Peek.Kind != HoconTokenKind.Unquoted || Peek.Text != "include" || PeekAt(1).Kind != HoconTokenKind.Whitespace)
        {
            return false;
        }

        var target = PeekAt(2);
        return target.Kind == HoconTokenKind.QuotedString
            || (target.Kind == HoconTokenKind.Unquoted && target.Text.EndsWith('('));
    }

    /// <summary><c>include "f"</c>, <c>include file("f")</c>, <c>include required(file("f"))</c>, ...</summary>
    private void ParseInclude(HoconObjectBuilder builder, IReadOnlyList<string>? path)
    {
        var includeToken = Next();
        SkipWhitespace();
        var head = new StringBuilder();
        while (Peek.Kind is HoconTokenKind.Unquoted or HoconTokenKind.Whitespace)
        {
            head.Append(Peek.Kind == HoconTokenKind.Unquoted ? Next().Text : Next().Text.Trim());
        }

        var nameToken = Peek;
        if (nameToken.Kind != HoconTokenKind.QuotedString)
        {
            throw Error("a quoted file name after 'include'", nameToken);
        }

        Next();
        var wrappers = head.ToString();
        var required = false;
        if (wrappers.StartsWith("required(", StringComparison.Ordinal))
        {
            required = true;
            wrappers = wrappers["required(".Length..];
        }

        var kind = wrappers switch
        {
            "" => "file",
            "file(" => "file",
            "url(" => "url",
            "classpath(" => "classpath",
            _ => throw new HoconParseException(
                $"expected \"name\", file(\"name\") or required(...) after 'include' at {includeToken.Origin}, found '{head}'",
                includeToken.Origin),
        };

        var closing = (required ? 1 : 0) + (wrappers.Length > 0 ? 1 : 0);
        var tail = new StringBuilder();
        while (Peek.Kind is HoconTokenKind.Unquoted or HoconTokenKind.Whitespace && tail.Length < closing)
        {
            tail.Append(Next().Text.Trim());
        }

        if (tail.ToString() != new string(')', closing))
        {
            throw Error($"'{new string(')', closing)}' to close the include", Peek);
        }

        if (kind != "file")
        {
            throw new HoconParseException(
                $"include {kind}(\"{nameToken.Text}\") at {includeToken.Origin} is not supported; use include file(\"...\") or a relative name",
                includeToken.Origin);
        }

        var included = _includer.Include(nameToken.Text, required, includeToken.Origin, path ?? []);
        foreach (var (key, value) in included)
        {
            builder.Set([key], 0, value, value.Origin);
        }
    }

    private void Enter(HoconToken open)
    {
        if (++_depth > MaxNesting)
        {
            throw new HoconParseException(
                $"objects and arrays are nested more than {MaxNesting} deep at {open.Origin}", open.Origin);
        }
    }

    private void SkipWhitespace()
    {
        while (Peek.Kind == HoconTokenKind.Whitespace)
        {
            Next();
        }
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Peek.Kind is HoconTokenKind.Whitespace or HoconTokenKind.Newline)
        {
            Next();
        }
    }

    private void Expect(HoconTokenKind kind, string expected)
    {
        if (Peek.Kind != kind)
        {
            throw Error(expected, Peek);
        }
    }

    private HoconParseException Error(string expected, HoconToken found) =>
        new($"expected {expected} at {found.Origin}, found {found.Describe()}", found.Origin);
}
