namespace CrossMargin.Hocon;

/// <summary>
/// Where a value or token came from: a file path (or a caller-chosen source name) and a 1-based line and column.
/// </summary>
/// <param name="Source">File path or source name, e.g. <c>app.conf</c> or <c>environment variable X</c>.</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Column">1-based column number.</param>
public sealed record HoconOrigin(string Source, int Line, int Column)
{
    /// <summary>Renders as <c>source:line:column</c>, the form every error message uses.</summary>
    public override string ToString() => $"{Source}:{Line}:{Column}";
}
