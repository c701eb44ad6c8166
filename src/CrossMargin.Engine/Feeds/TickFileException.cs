namespace CrossMargin.Engine.Feeds;

/// <summary>
/// A market-data file has a bad row: a field that is not a number or time, a non-positive price, time going
/// backwards within the file, or the wrong number of columns. The message reads <c>path:line: field 'x' value 'v': reason</c>.
/// </summary>
public sealed class TickFileException : FormatException
{
    /// <summary>Creates the error.</summary>
    public TickFileException(string filePath, long line, string field, string? value, string reason)
        : base($"{filePath}:{line}: field '{field}' value '{value}': {reason}")
    {
        FilePath = filePath;
        Line = line;
        Field = field;
        Value = value;
        Reason = reason;
    }

    /// <summary>Path of the file as given to the reader.</summary>
    public string FilePath { get; }

    /// <summary>One-based line number in the file (the header, when present, is line 1).</summary>
    public long Line { get; }

    /// <summary>Name of the offending column (or <c>row</c> for a wrong column count).</summary>
    public string Field { get; }

    /// <summary>The offending text, or the column count for a wrong column count.</summary>
    public string? Value { get; }

    /// <summary>Why the value was refused.</summary>
    public string Reason { get; }
}
