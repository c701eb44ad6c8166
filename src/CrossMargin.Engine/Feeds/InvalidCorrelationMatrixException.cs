namespace CrossMargin.Engine.Feeds;

/// <summary>A correlation matrix is not square, not symmetric, has a diagonal other than 1, an entry outside [−1, 1], or is not positive definite.</summary>
public sealed class InvalidCorrelationMatrixException : ArgumentException
{
    /// <summary>Creates the error; <paramref name="row"/> and <paramref name="column"/> locate the offending entry (−1 when not about one entry).</summary>
    public InvalidCorrelationMatrixException(string message, int row = -1, int column = -1)
        : base(message)
    {
        Row = row;
        Column = column;
    }

    /// <summary>Zero-based row of the offending entry, or −1.</summary>
    public int Row { get; }

    /// <summary>Zero-based column of the offending entry, or −1.</summary>
    public int Column { get; }
}
