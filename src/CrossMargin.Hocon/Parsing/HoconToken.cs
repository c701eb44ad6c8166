namespace CrossMargin.Hocon;

/// <summary>Kinds of lexical tokens; comments never become tokens.</summary>
internal enum HoconTokenKind
{
    Whitespace,
    Newline,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    QuotedString,
    Unquoted,
    Substitution,
    End,
}

/// <summary>
/// One token: its kind, its text (string contents for quoted strings) and where it starts. The origin object is
/// only allocated when asked for, since most tokens (whitespace, punctuation) never need one.
/// </summary>
internal readonly record struct HoconToken(HoconTokenKind Kind, string Text, string Source, int Line, int Column, bool Optional = false)
{
    public HoconOrigin Origin => new(Source, Line, Column);

    /// <summary>How the token reads in an error message ("found ']'").</summary>
    public string Describe() => Kind switch
    {
        HoconTokenKind.End => "end of input",
        HoconTokenKind.Newline => "a newline",
        HoconTokenKind.Whitespace => "whitespace",
        HoconTokenKind.QuotedString => $"\"{Text}\"",
        HoconTokenKind.Substitution => Optional ? $"${{?{Text}}}" : $"${{{Text}}}",
        _ => $"'{Text}'",
    };
}
