namespace CrossMargin.Persistence.Sql.Postgres;

/// <summary>How <see cref="LocalPostgresServer.StartAsync"/> starts a PostgreSQL server from local binaries.</summary>
public sealed record LocalPostgresOptions
{
    /// <summary>Debian's PostgreSQL 15 binaries (package postgresql-15).</summary>
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>
    /// Folder holding the cluster: <c>data/</c> (the PostgreSQL data directory), <c>server.log</c> and the unix socket.
    /// An existing initialised folder is reused (the server keeps its databases across starts); null = a fresh folder
    /// under the temp directory, deleted on dispose.
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>TCP port on <see cref="ListenAddress"/>; 0 = a free port chosen at start.</summary>
    public int Port { get; init; }

    /// <summary>Address the server listens on.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>Folder of <c>initdb</c> and <c>pg_ctl</c>; null = the <c>CROSSMARGIN_PG_BIN</c> variable or <see cref="DefaultBinDirectory"/>.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>
    /// True: fsync, synchronous commit and full page writes stay on (a server whose data must survive a machine crash).
    /// False (tests): they are off, which is much faster and loses nothing unless the machine itself fails.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>The server's <c>max_connections</c>.</summary>
    public int MaxConnections { get; init; } = 300;

    /// <summary>How long to wait for the server to accept connections after <c>pg_ctl start</c>.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The folder of the binaries that will be used.</summary>
    public string EffectiveBinDirectory => BinDirectory ?? Environment.GetEnvironmentVariable("CROSSMARGIN_PG_BIN") ?? DefaultBinDirectory;
}
