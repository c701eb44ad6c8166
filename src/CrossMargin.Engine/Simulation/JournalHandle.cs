using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Reporting;
using CrossMargin.Persistence.InMemory;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Query;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Journal;

namespace CrossMargin.Engine.Simulation;

/// <summary>An open journal (write and query sides) for a <see cref="JournalTarget"/>, with the engine's events registered.</summary>
public sealed class JournalHandle : IAsyncDisposable
{
    private JournalHandle(IJournal journal, IReadJournal read, EventSerializer serializer, string description)
    {
        Journal = journal;
        Read = read;
        Serializer = serializer;
        Description = description;
    }

    /// <summary>The write side.</summary>
    public IJournal Journal { get; }

    /// <summary>The query side.</summary>
    public IReadJournal Read { get; }

    /// <summary>The serializer (engine events registered).</summary>
    public EventSerializer Serializer { get; }

    /// <summary>The target as typed (password masked).</summary>
    public string Description { get; }

    /// <summary>Rows per group-commit transaction when the caller does not say (<c>crossmargin.persistence.batch-size</c> is read by <see cref="Scenarios.JournalSettings"/>).</summary>
    public const int DefaultBatchSize = 20_000;

    /// <summary>
    /// Opens <paramref name="target"/>; SQLite creates the file (and its folder). <paramref name="clock"/> stamps rows.
    /// An in-memory target is shared per process only through <paramref name="shared"/>, if given. A PostgreSQL target
    /// whose connection string names a search path writes into that schema: created when <paramref name="create"/>,
    /// refused as absent otherwise (readers never create anything).
    /// </summary>
    /// <param name="target">The journal.</param>
    /// <param name="clock">Stamps the rows' <c>created</c> column.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <param name="shared">The in-memory journal to use for <see cref="JournalKind.InMemory"/>; null creates one.</param>
    /// <param name="batchSize">Most rows one group-commit transaction holds (SQL journals), 1 or more.</param>
    /// <param name="create">True for writers (a PostgreSQL schema is created when absent); false for readers.</param>
    /// <exception cref="RunInputException">The journal cannot be opened, its schema is absent (readers), or it is of another schema version.</exception>
    public static async Task<JournalHandle> OpenAsync(JournalTarget target, TimeProvider clock, CancellationToken cancellationToken, InMemoryJournal? shared = null,
        int batchSize = DefaultBatchSize, bool create = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentNullException.ThrowIfNull(target);
        var serializer = EngineSerialization.Create();
        try
        {
            switch (target.Kind)
            {
                case JournalKind.InMemory:
                    var mem = shared ?? new InMemoryJournal(serializer, clock);
                    return new JournalHandle(mem, mem, serializer, target.ToString());
                default:
                    if (target.Kind == JournalKind.Sqlite)
                    {
                        var dir = Path.GetDirectoryName(Path.GetFullPath(target.Location));
                        if (!string.IsNullOrEmpty(dir))
                        {
                            Directory.CreateDirectory(dir);
                        }
                    }
                    else
                    {
                        await PostgresSchema.EnsureAsync(target, create, cancellationToken).ConfigureAwait(false);
                    }

                    var options = new SqlJournalOptions(target.Kind == JournalKind.Sqlite ? SqlBackend.Sqlite : SqlBackend.Postgres, target.Location)
                    {
                        Clock = clock,
                        GroupCommit = new Persistence.Batching.GroupCommitOptions(MaxBatchRows: batchSize),
                    };
                    var sql = await SqlJournal.OpenAsync(options, serializer, cancellationToken).ConfigureAwait(false);
                    return new JournalHandle(sql, sql, serializer, target.ToString());
            }
        }
        catch (SchemaVersionException e)
        {
            throw new RunInputException($"journal {target}: {e.Message}", e);
        }
        catch (PersistenceConnectionException e)
        {
            throw new RunInputException($"journal {target}: {e.Message}", e);
        }
    }

    /// <summary>True when the journal holds no event.</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in Read.CurrentPersistenceIds(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        return true;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Journal.DisposeAsync();
}
