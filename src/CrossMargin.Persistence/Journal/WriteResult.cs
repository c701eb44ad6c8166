namespace CrossMargin.Persistence.Journal;

/// <summary>What happened to one <see cref="AtomicWrite"/>.</summary>
public enum WriteOutcome
{
    /// <summary>Stored durably.</summary>
    Success,

    /// <summary>Refused before storage (for example the payload cannot be serialized); nothing was stored. The writer may go on.</summary>
    Rejected,

    /// <summary>Storage failed (database error, duplicate sequence number from a second writer); nothing was stored. The writer must stop.</summary>
    Failed,
}

/// <summary>The result of one <see cref="AtomicWrite"/> in a batch.</summary>
/// <param name="Outcome">Success, rejection or failure.</param>
/// <param name="Error">The cause when not successful; null on success.</param>
public readonly record struct WriteResult(WriteOutcome Outcome, Exception? Error)
{
    /// <summary>The shared success value.</summary>
    public static WriteResult Success => new(WriteOutcome.Success, null);

    /// <summary>A rejection with its cause.</summary>
    public static WriteResult Rejected(Exception cause) => new(WriteOutcome.Rejected, cause);

    /// <summary>A failure with its cause.</summary>
    public static WriteResult Failed(Exception cause) => new(WriteOutcome.Failed, cause);

    /// <summary>True when stored.</summary>
    public bool IsSuccess => Outcome == WriteOutcome.Success;
}
