namespace CrossMargin.Persistence.Sql.Dialects;

/// <summary>How the PostgreSQL journal inserts a batch.</summary>
public enum PostgresInsertMode
{
    /// <summary>Binary <c>COPY journal FROM STDIN</c> (the default: measured faster, see docs/persistence.md).</summary>
    Copy,

    /// <summary>One multi-row <c>INSERT … SELECT FROM unnest(arrays)</c> statement.</summary>
    Insert,
}
