namespace CrossMargin.Persistence.Sql.Fencing;

/// <summary>
/// A journal write was refused by the <see cref="IWriteFence"/>: the writer no longer holds the lease (and epoch) of
/// the stream's resource. Nothing of the write was stored: for events the persistent actor sees a persist failure and
/// stops; for a snapshot save or delete it gets <c>SaveSnapshotFailure</c> / <c>DeleteSnapshotsFailure</c> and goes on
/// (as in Akka).
/// </summary>
public sealed class WriteFencedException : Exception
{
    /// <summary>Creates the exception; the message names the stream, the resource and both epochs.</summary>
    /// <param name="persistenceId">The refused stream.</param>
    /// <param name="resource">The lease resource guarding it, e.g. <c>shard-7</c>.</param>
    /// <param name="expectedEpoch">The epoch the writer believed it held; null when it holds no lease on the resource.</param>
    /// <param name="actualEpoch">The epoch the database holds for this writer, null when the lease is gone (expired, released or taken over).</param>
    /// <param name="detail">Optional extra explanation appended to the message.</param>
    public WriteFencedException(string persistenceId, string resource, long? expectedEpoch, long? actualEpoch, string? detail = null)
        : base(Describe(persistenceId, resource, expectedEpoch, actualEpoch, detail))
    {
        PersistenceId = persistenceId;
        Resource = resource;
        ExpectedEpoch = expectedEpoch;
        ActualEpoch = actualEpoch;
    }

    /// <summary>The refused stream.</summary>
    public string PersistenceId { get; }

    /// <summary>The lease resource guarding the stream.</summary>
    public string Resource { get; }

    /// <summary>The epoch the writer believed it held; null when it held none.</summary>
    public long? ExpectedEpoch { get; }

    /// <summary>The epoch still valid for this writer in the database; null when its lease is gone.</summary>
    public long? ActualEpoch { get; }

    private static string Describe(string persistenceId, string resource, long? expected, long? actual, string? detail)
    {
        var held = expected is { } e ? $"epoch {e}" : "no lease";
        var found = actual is { } a ? $"the database holds epoch {a} for this writer" : "the database holds no live lease of this writer (expired, released or taken over)";
        var text = $"write to {persistenceId} refused: its resource {resource} is fenced (this writer holds {held}; {found})";
        return detail is null ? text : $"{text}; {detail}";
    }
}
