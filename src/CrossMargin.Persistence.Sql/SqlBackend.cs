namespace CrossMargin.Persistence.Sql;

/// <summary>Which database a SQL journal uses.</summary>
public enum SqlBackend
{
    /// <summary>SQLite file (Microsoft.Data.Sqlite, WAL).</summary>
    Sqlite,

    /// <summary>PostgreSQL server (Npgsql).</summary>
    Postgres,
}
