using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CrossMargin.Persistence.Sql.Postgres;

/// <summary>
/// A PostgreSQL server started from local binaries (Debian's <c>/usr/lib/postgresql/15/bin</c>) on 127.0.0.1 — for
/// tests, benchmarks and <c>crossmargin cluster up</c> — or an existing server attached by connection string.
/// </summary>
/// <remarks>
/// When the process runs as root the binaries run as the <c>postgres</c> user (initdb refuses root) through
/// <c>runuser</c>, and the cluster folder is handed to that user. Readiness is found by polling a connection.
/// Dispose stops a server this object started (fast shutdown) and deletes a temporary folder; an attached server is left
/// alone. Not thread-safe: start, restart and stop from one task.
/// </remarks>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    /// <summary>What to install or set when no server can be started.</summary>
    public const string HowToProvide =
        "install Debian's postgresql-15 package so /usr/lib/postgresql/15/bin/initdb exists (or set CROSSMARGIN_PG_BIN to a folder holding initdb and pg_ctl)";

    private readonly LocalPostgresOptions? _options;
    private readonly bool _temporary;
    private bool _running;

    private LocalPostgresServer(string adminConnectionString, LocalPostgresOptions? options, string? root, int port, bool temporary)
    {
        AdminConnectionString = adminConnectionString;
        _options = options;
        RootDirectory = root;
        Port = port;
        _temporary = temporary;
        _running = options is not null;
    }

    /// <summary>A connection string of a superuser on the server's <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when this object started the server (and stops it on dispose).</summary>
    public bool Owned => _options is not null;

    /// <summary>The cluster folder (data, log, socket) of an owned server; null for an attached one.</summary>
    public string? RootDirectory { get; }

    /// <summary>The PostgreSQL data directory of an owned server.</summary>
    public string? DataDirectory => RootDirectory is null ? null : Path.Combine(RootDirectory, "data");

    /// <summary>The server log of an owned server.</summary>
    public string? LogFile => RootDirectory is null ? null : Path.Combine(RootDirectory, "server.log");

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>True while an owned server is running (false after <see cref="StopAsync"/>).</summary>
    public bool IsRunning => _running;

    /// <summary>Wraps an existing server; waits up to <paramref name="patience"/> for it to accept a connection.</summary>
    /// <exception cref="InvalidOperationException">No connection within the patience; the message names host:port.</exception>
    public static async Task<LocalPostgresServer> AttachAsync(string connectionString, TimeSpan patience, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await WaitUntilReadyAsync(connectionString, patience, null, cancellationToken).ConfigureAwait(false);
        return new LocalPostgresServer(connectionString, null, null, new NpgsqlConnectionStringBuilder(connectionString).Port, temporary: false);
    }

    /// <summary>
    /// Initialises the folder when it holds no cluster yet, starts the server and waits until it accepts connections.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The binaries are missing, initdb/pg_ctl failed, or the server did not come up in time; the message says which,
    /// with the tool's output or the server log.
    /// </exception>
    public static async Task<LocalPostgresServer> StartAsync(LocalPostgresOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalPostgresOptions();
        var bin = options.EffectiveBinDirectory;
        if (!File.Exists(Path.Combine(bin, "initdb")))
        {
            throw new InvalidOperationException($"cannot start PostgreSQL: {Path.Combine(bin, "initdb")} does not exist; {HowToProvide}");
        }

        var temporary = options.Directory is null;
        var root = options.Directory is null
            ? Path.Combine(Path.GetTempPath(), $"crossmargin-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40])
            : Path.GetFullPath(options.Directory);
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        if (AsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", root], asPostgres: false, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], AsRoot, cancellationToken).ConfigureAwait(false);
        }

        var port = options.Port == 0 ? FreePort() : options.Port;
        var server = new LocalPostgresServer(AdminString(options.ListenAddress, port), options, root, port, temporary);
        try
        {
            await server.StartServerAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>Creates a database and returns a connection string to it (same user as <see cref="AdminConnectionString"/>).</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await AdminExecAsync($"CREATE DATABASE \"{Identifier(name)}\"", cancellationToken).ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }

    /// <summary>Creates a schema in the <c>postgres</c> database and returns a connection string whose search path is it.</summary>
    public async Task<string> CreateSchemaAsync(string name, CancellationToken cancellationToken = default)
    {
        await AdminExecAsync($"CREATE SCHEMA \"{Identifier(name)}\"", cancellationToken).ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { SearchPath = name }.ToString();
    }

    /// <summary>Stops an owned server (<paramref name="immediate"/>: without a checkpoint, like a crash), keeping its data.</summary>
    public async Task StopAsync(bool immediate = false, CancellationToken cancellationToken = default)
    {
        var options = OwnedOptions();
        if (!_running)
        {
            return;
        }

        await RunAsync(Path.Combine(options.EffectiveBinDirectory, "pg_ctl"), ["-D", DataDirectory!, "-m", immediate ? "immediate" : "fast", "-w", "stop"], AsRoot, cancellationToken).ConfigureAwait(false);
        _running = false;
    }

    /// <summary>Starts a stopped owned server again on the same port and data, and waits until it accepts connections.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        OwnedOptions();
        if (!_running)
        {
            await StartServerAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops then starts an owned server (clients see their connections dropped and must reconnect).</summary>
    public async Task RestartAsync(bool immediate = false, CancellationToken cancellationToken = default)
    {
        await StopAsync(immediate, cancellationToken).ConfigureAwait(false);
        await StartAgainAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls until <paramref name="connectionString"/> opens, up to <paramref name="patience"/>.</summary>
    /// <exception cref="InvalidOperationException">Still refused after the patience; names host:port, the last error and the log tail.</exception>
    public static async Task WaitUntilReadyAsync(string connectionString, TimeSpan patience, string? logFile, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 2 };
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ToString());
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    var tail = logFile is not null && File.Exists(logFile) ? "\n" + Tail(logFile) : string.Empty;
                    throw new InvalidOperationException($"PostgreSQL at {builder.Host}:{builder.Port} did not accept connections within {patience.TotalSeconds:0}s ({e.Message}){tail}", e);
                }

                // Polling the server until it answers is the readiness probe itself.
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops an owned server and deletes a temporary folder; leaves an attached server alone.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_options is null)
        {
            return;
        }

        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_temporary)
            {
                try
                {
                    Directory.Delete(RootDirectory!, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Left for the OS to clean the temp folder; a stopped server's files are harmless.
                }
            }
        }
    }

    private static bool AsRoot => Environment.UserName == "root";

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var options = OwnedOptions();
        var settings = string.Create(CultureInfo.InvariantCulture, $"-p {Port} -k {RootDirectory} -c listen_addresses={options.ListenAddress} -c max_connections={options.MaxConnections}") +
            (options.Durable ? string.Empty : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await RunAsync(Path.Combine(options.EffectiveBinDirectory, "pg_ctl"), ["-D", DataDirectory!, "-l", LogFile!, "-o", settings, "-W", "start"], AsRoot, cancellationToken).ConfigureAwait(false);
        _running = true;
        await WaitUntilReadyAsync(AdminConnectionString, options.StartTimeout, LogFile, cancellationToken).ConfigureAwait(false);
    }

    private LocalPostgresOptions OwnedOptions()
        => _options ?? throw new InvalidOperationException("this PostgreSQL server was attached, not started here; it cannot be stopped or restarted");

    private async Task AdminExecAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Identifier(string name)
        => name.Contains('"', StringComparison.Ordinal) ? throw new ArgumentException($"identifier \"{name}\" must not contain a double quote", nameof(name)) : name;

    private static string AdminString(string host, int port)
        => string.Create(CultureInfo.InvariantCulture, $"Host={host};Port={port};Username=postgres;Database=postgres;Pooling=true;Timeout=5");

    private static string Tail(string file)
    {
        var lines = File.ReadAllLines(file);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 30)));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] args, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()} {(await stdout.ConfigureAwait(false)).Trim()}");
        }
    }
}
