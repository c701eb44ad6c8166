namespace CrossMargin.Persistence.Journal;

/// <summary>The storage behind a journal or snapshot store cannot be reached; the message names the target.</summary>
public sealed class PersistenceConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="target">What was being connected to: <c>host:port/database</c> or a file path.</param>
    /// <param name="message">Full message shown to the user.</param>
    /// <param name="inner">The driver's exception.</param>
    public PersistenceConnectionException(string target, string message, Exception? inner)
        : base(message, inner)
    {
        Target = target;
    }

    /// <summary>The connection target: <c>host:port/database</c> or a file path.</summary>
    public string Target { get; }
}

/// <summary>The database was created by a newer schema version than this build understands.</summary>
public sealed class SchemaVersionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SchemaVersionException(string target, int foundVersion, int supportedVersion)
        : base($"{target}: the journal schema is version {foundVersion}, written by a newer CrossMargin; this build supports up to version {supportedVersion}. Upgrade CrossMargin or point it at another database.")
    {
        Target = target;
        FoundVersion = foundVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The database that was refused.</summary>
    public string Target { get; }

    /// <summary>Schema version recorded in the database.</summary>
    public int FoundVersion { get; }

    /// <summary>Highest schema version this build reads and writes.</summary>
    public int SupportedVersion { get; }
}

/// <summary>A write hit an existing (persistence id, sequence number): another writer owns the stream.</summary>
public sealed class DuplicateSequenceNumberException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DuplicateSequenceNumberException(string persistenceId, long fromSequenceNr, long toSequenceNr, Exception? inner)
        : base($"events {persistenceId} #{fromSequenceNr}..#{toSequenceNr} already exist: another writer persisted to this stream", inner)
    {
        PersistenceId = persistenceId;
    }

    /// <summary>The contested stream.</summary>
    public string PersistenceId { get; }
}
