using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CrossMargin.Persistence.Sql.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server for tests and benchmarks: the one named by CROSSMARGIN_TEST_POSTGRES, or a throw-away
/// server started from Debian's PostgreSQL 15 binaries on 127.0.0.1 at a free port (as the postgres user when
/// running as root, since initdb refuses root). Readiness is found by polling a connection.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    public const string EnvironmentVariable = "CROSSMARGIN_TEST_POSTGRES";

    public const string HowToProvide =
        "Set " + EnvironmentVariable + " to an Npgsql connection string of a server where the user may create schemas and databases " +
        "(e.g. \"Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres\"), " +
        "or install Debian's postgresql-15 package so /usr/lib/postgresql/15/bin/initdb exists (the tests then start their own server).";

    private readonly string? _dataDirectory;
    private readonly string? _root;
    private readonly string? _binDirectory;

    private LocalPostgres(string adminConnectionString, string? root, string? dataDirectory, string? binDirectory)
    {
        AdminConnectionString = adminConnectionString;
        _root = root;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
    }

    /// <summary>A connection string of a superuser on the server's <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when this object started the server (and will stop it).</summary>
    public bool Owned => _dataDirectory is not null;

    public static async Task<LocalPostgres> StartAsync(bool durable = false)
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            await WaitUntilReadyAsync(external, TimeSpan.FromSeconds(15), null);
            return new LocalPostgres(external, null, null, null);
        }

        var bin = Environment.GetEnvironmentVariable("CROSSMARGIN_PG_BIN") ?? "/usr/lib/postgresql/15/bin";
        if (!File.Exists(Path.Combine(bin, "initdb")))
        {
            throw new InvalidOperationException($"No PostgreSQL server for the tests: {Path.Combine(bin, "initdb")} does not exist. {HowToProvide}");
        }

        var root = Path.Combine(Path.GetTempPath(), $"crossmargin-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", new[] { "postgres:postgres", root }, asPostgres: false);
        }

        await RunAsync(Path.Combine(bin, "initdb"), new[] { "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync" }, asRoot);
        var port = FreePort();
        var settings = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=300" +
            (durable ? string.Empty : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await RunAsync(Path.Combine(bin, "pg_ctl"), new[] { "-D", data, "-l", Path.Combine(root, "server.log"), "-o", settings, "-W", "start" }, asRoot);
        var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Timeout=5";
        var server = new LocalPostgres(admin, root, data, bin);
        try
        {
            await WaitUntilReadyAsync(admin, TimeSpan.FromSeconds(60), Path.Combine(root, "server.log"));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Creates a schema and returns a connection string whose search path is it.</summary>
    public async Task<string> CreateSchemaAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { SearchPath = name }.ToString();
    }

    /// <summary>Creates a database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDirectory is null)
        {
            return;
        }

        try
        {
            await RunAsync(Path.Combine(_binDirectory!, "pg_ctl"), new[] { "-D", _dataDirectory, "-m", "fast", "-w", "stop" }, Environment.UserName == "root");
        }
        finally
        {
            try
            {
                Directory.Delete(_root!, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean /tmp; a stopped server's files are harmless.
            }
        }
    }

    private static async Task WaitUntilReadyAsync(string connectionString, TimeSpan patience, string? log)
    {
        var deadline = DateTime.UtcNow + patience;
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 2 };
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ToString());
                await connection.OpenAsync();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    var tail = log is not null && File.Exists(log) ? File.ReadAllText(log) : string.Empty;
                    throw new InvalidOperationException($"PostgreSQL at {builder.Host}:{builder.Port} did not accept connections within {patience.TotalSeconds:0}s ({e.Message}). {HowToProvide}\n{tail}", e);
                }

                // Polling the server until it answers: the readiness probe itself.
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] args, bool asPostgres)
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
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}{await stdout}. {HowToProvide}");
        }
    }
}
