using CrossMargin.Benchmarks.Shared;
using System.Diagnostics;
using System.Globalization;
using CrossMargin.Persistence.Batching;
using CrossMargin.Persistence.Benchmarks;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Dialects;
using CrossMargin.Persistence.Sql.Journal;
using CrossMargin.Persistence.Sql.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

// Journal benchmarks: group-commit write throughput and replay against a raw batched insert / raw read of the
// same rows into the same table. Usage: [--quick] [--backend sqlite|postgres|all] [--results DIR]
var quick = args.Contains("--quick");
var backendArg = args.SkipWhile(a => a != "--backend").Skip(1).FirstOrDefault() ?? "all";
// Everything printed also goes to benchmarks/results/journal/<quick|full>-<date>.md (or --results DIR).
var resultsFolder = BenchmarkResults.TakeFolder(args.ToList(), "journal");
var consoleOut = Console.Out;
var resultsCopy = new StringWriter(CultureInfo.InvariantCulture);
Console.SetOut(new TeeWriter(consoleOut, resultsCopy));
var writeEvents = quick ? 100_000 : 1_000_000;
var persistStyleEvents = quick ? 10_000 : 100_000;
var oneStream = quick ? 200_000 : 1_000_000;
var shortStreams = quick ? 20_000 : 100_000;
const int EventsPerShortStream = 10;
const int BatchRows = 10_000;

Console.WriteLine($"CrossMargin journal benchmarks ({(quick ? "quick" : "full")} mode) — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine($"writes: {writeEvents:N0} events per run (Persist-style runs: {persistStyleEvents:N0}); replay: one stream of {oneStream:N0}, {shortStreams:N0} streams of {EventsPerShortStream}");
Console.WriteLine("Paths: 'journal' = IJournal.WriteMessagesAsync through the group-commit writer; 'actors' = ReceivePersistentActor instances (mailbox, stash, actor-side batching, group commit).");
Console.WriteLine();

var serializer = new EventSerializer().Register("bench", 1, new BenchEventCodec());
var note = new byte[96];
Random.Shared.NextBytes(note);
var root = Path.Combine(Path.GetTempPath(), "crossmargin-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);

try
{
    if (backendArg is "all" or "sqlite")
    {
        await RunBackendAsync("SQLite", name => Task.FromResult(new SqlJournalOptions(SqlBackend.Sqlite, Path.Combine(root, name + ".db"))));
    }

    if (backendArg is "all" or "postgres")
    {
        await using var server = await LocalPostgres.StartAsync(durable: true);
        Console.WriteLine(server.Owned ? "PostgreSQL 15: throw-away server on 127.0.0.1 (fsync on, synchronous_commit on)" : "PostgreSQL: server from " + LocalPostgres.EnvironmentVariable);
        foreach (var mode in new[] { PostgresInsertMode.Copy, PostgresInsertMode.Insert })
        {
            await RunBackendAsync($"PostgreSQL ({mode})", async name => new SqlJournalOptions(SqlBackend.Postgres, await server.CreateDatabaseAsync($"{name}_{mode}".ToLowerInvariant()))
            {
                PostgresInsertMode = mode,
                GroupCommit = new GroupCommitOptions(MaxBatchRows: BatchRows, Parallelism: 2),
            }, full: mode == PostgresInsertMode.Copy);
        }
    }
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(root, recursive: true);
    Console.SetOut(consoleOut);
    Directory.CreateDirectory(resultsFolder);
    var resultsFile = Path.Combine(resultsFolder, $"{(quick ? "quick" : "full")}-{backendArg}-{DateTime.UtcNow:yyyyMMdd-HHmm}.md");
    File.WriteAllText(resultsFile, resultsCopy.ToString());
    Console.WriteLine($"written to {resultsFile}");
}

// full = false: only the 1,000-writer journal run beside its baseline (to compare PostgreSQL insert methods).
async Task RunBackendAsync(string label, Func<string, Task<SqlJournalOptions>> optionsFor, bool full = true)
{
    Console.WriteLine($"== {label}");
    // Warm-up (JIT, connection pools) on a scratch database, not measured.
    var warm = await optionsFor("warmup");
    await using (var prime = await SqlJournal.OpenAsync(warm, serializer))
    {
    }

    await RawInsertAsync(warm, 20_000, 100);
    await WriteRunAsync(await optionsFor("warmup2"), 100, 20_000, maxPerCall: 200);

    var baselines = new Dictionary<int, double>();
    var writerCounts = full ? new[] { 1, 100, 1000 } : new[] { 1000 };
    foreach (var writers in writerCounts)
    {
        var baselineOptions = await optionsFor($"baseline{writers}");
        await using (var prime = await SqlJournal.OpenAsync(baselineOptions, serializer))
        {
        }

        baselines[writers] = await RawInsertAsync(baselineOptions, writeEvents, writers);
        Console.WriteLine($"  baseline: raw batched insert, {BatchRows:N0}-row transactions, {writers,5:N0} ids interleaved:     {baselines[writers],12:N0} rows/s");
    }

    foreach (var writers in writerCounts)
    {
        var rate = await WriteRunAsync(await optionsFor($"w{writers}"), writers, writeEvents, maxPerCall: 200);
        Console.WriteLine($"  write, {writers,5:N0} writers, PersistAsync-style (≤200 queued events per write):   {rate,12:N0} events/s  ratio {rate / baselines[writers]:0.00}");
    }

    if (!full)
    {
        Console.WriteLine();
        return;
    }

    foreach (var writers in new[] { 100, 1000 })
    {
        var rate = await WriteRunAsync(await optionsFor($"p{writers}"), writers, persistStyleEvents, maxPerCall: 1);
        Console.WriteLine($"  write, {writers,5:N0} writers, Persist-style (one event per round trip):       {rate,12:N0} events/s  ratio {rate / baselines[writers]:0.00} (baseline of the same id count)");
    }

    foreach (var (actors, persistAsync) in new[] { (1, true), (100, true), (1000, true), (1000, false) })
    {
        var options = await optionsFor($"a{actors}{(persistAsync ? "a" : "p")}");
        await using var journal = await SqlJournal.OpenAsync(options with { GroupCommit = options.GroupCommit with { MaxBatchRows = BatchRows } }, serializer);
        var total = persistAsync ? writeEvents : persistStyleEvents;
        var rate = await ActorBench.RunAsync(journal, serializer, actors, total / actors, persistAsync, note);
        var style = persistAsync ? "PersistAsync" : "Persist     ";
        Console.WriteLine($"  actors, {actors,5:N0} persistent actors, {style} ({total:N0} events):            {rate,12:N0} events/s  ratio {rate / baselines[actors]:0.00}");
    }

    var one = await optionsFor("replay1");
    await using (var prime = await SqlJournal.OpenAsync(one, serializer))
    {
    }

    await RawInsertAsync(one, oneStream, 1);
    var rawRead = await RawReadAsync(one, oneStream);
    await using (var journal = await SqlJournal.OpenAsync(one, serializer))
    {
        var sw = Stopwatch.StartNew();
        long count = 0;
        await journal.ReplayMessagesAsync("pid-0", 1, long.MaxValue, long.MaxValue, _ => count++);
        Check(count == oneStream, $"replayed {count} of {oneStream}");
        var rate = count / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"  replay one stream of {oneStream:N0} (deserialized):  {rate,12:N0} events/s  raw read {rawRead,12:N0} rows/s  ratio {rate / rawRead:0.00}");
    }

    var many = await optionsFor("replaymany");
    await using (var prime = await SqlJournal.OpenAsync(many, serializer))
    {
    }

    await RawInsertAsync(many, shortStreams * EventsPerShortStream, shortStreams);
    var rawShort = await RawShortReadsAsync(many, shortStreams, EventsPerShortStream);
    Console.WriteLine($"  baseline: raw read of {shortStreams:N0} streams, one prepared SELECT each on 8 open connections: {rawShort,12:N0} rows/s");
    await using (var journal = await SqlJournal.OpenAsync(many, serializer))
    {
        var sw = Stopwatch.StartNew();
        long count = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, shortStreams), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var pid = $"pid-{i}";
            var highest = await journal.ReadHighestSequenceNrAsync(pid, 0, ct);
            long local = 0;
            await journal.ReplayMessagesAsync(pid, 1, highest, long.MaxValue, _ => local++, ct);
            Interlocked.Add(ref count, local);
        });
        Check(count == (long)shortStreams * EventsPerShortStream, $"replayed {count}");
        var rate = count / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"  replay {shortStreams:N0} streams of {EventsPerShortStream} (highest + replay each, 8 at once): {rate,12:N0} events/s ({shortStreams / sw.Elapsed.TotalSeconds:N0} streams/s)  ratio {rate / rawShort:0.00}");
    }

#if !PPERF_BEFORE
    await using (var journal = await SqlJournal.OpenAsync(many, serializer))
    {
        var sw = Stopwatch.StartNew();
        long count = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, shortStreams), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            long local = 0;
            var highest = await journal.ReplayAndReadHighestAsync($"pid-{i}", 1, long.MaxValue, long.MaxValue, _ => local++, ct);
            Check(highest == EventsPerShortStream, $"highest {highest}");
            Interlocked.Add(ref count, local);
        });
        Check(count == (long)shortStreams * EventsPerShortStream, $"replayed {count}");
        var rate = count / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"  replay {shortStreams:N0} streams of {EventsPerShortStream} (ReplayAndReadHighest, 8 at once):   {rate,12:N0} events/s ({shortStreams / sw.Elapsed.TotalSeconds:N0} streams/s)  ratio {rate / rawShort:0.00}");
    }
#endif

    await using (var journal = await SqlJournal.OpenAsync(many, serializer))
    {
        var rate = await ActorBench.RecoverAsync(journal, serializer, shortStreams, (long)shortStreams * EventsPerShortStream);
        Console.WriteLine($"  actors, recover {shortStreams:N0} persistent actors of {EventsPerShortStream} events each:   {rate,12:N0} events/s  ratio {rate / rawShort:0.00}");
    }

    Console.WriteLine();
}

async Task<double> WriteRunAsync(SqlJournalOptions options, int writers, int totalEvents, int maxPerCall)
{
    await using var journal = await SqlJournal.OpenAsync(options with { GroupCommit = options.GroupCommit with { MaxBatchRows = BatchRows } }, serializer);
    var perWriter = totalEvents / writers;
    var writerUuids = Enumerable.Range(0, writers).Select(_ => Guid.NewGuid().ToString("N")).ToArray();
    var sw = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        var pid = $"writer-{w}";
        long next = 1;
        while (next <= perWriter)
        {
            var n = (int)Math.Min(maxPerCall, perWriter - next + 1);
            var writes = new AtomicWrite[n];
            for (var i = 0; i < n; i++)
            {
                writes[i] = new AtomicWrite(new PersistentRepr(pid, next + i, new BenchEvent(w, next + i, 42, note), writerUuids[w]));
            }

            var results = await journal.WriteMessagesAsync(writes);
            foreach (var r in results)
            {
                Check(r.IsSuccess, $"write failed: {r.Error}");
            }

            next += n;
        }
    })));
    var elapsed = sw.Elapsed.TotalSeconds;
    return perWriter * writers / elapsed;
}

async Task<double> RawInsertAsync(SqlJournalOptions options, int rows, int ids)
{
    var payload = serializer.Serialize(new BenchEvent(1, 2, 3, note)).Payload;
    var created = DateTime.UtcNow.Ticks;
    var sw = Stopwatch.StartNew();
    for (var start = 0; start < rows; start += BatchRows)
    {
        var end = Math.Min(rows, start + BatchRows);
        if (options.Backend == SqlBackend.Sqlite)
        {
            RawSqliteBatch(options.ConnectionString, start, end, ids, payload, created);
        }
        else
        {
            await RawPostgresBatchAsync(options.ConnectionString, start, end, ids, payload, created);
        }
    }

    return rows / sw.Elapsed.TotalSeconds;
}

static void RawSqliteBatch(string path, int start, int end, int ids, byte[] payload, long created)
{
    using var connection = new SqliteConnection($"Data Source={path}");
    connection.Open();
    using (var pragma = connection.CreateCommand())
    {
        pragma.CommandText = "PRAGMA synchronous=NORMAL";
        pragma.ExecuteNonQuery();
    }

    using var tx = connection.BeginTransaction();
    using var insert = connection.CreateCommand();
    insert.Transaction = tx;
    insert.CommandText = "INSERT INTO journal (deleted, persistence_id, sequence_number, created, manifest, identifier, payload, writer_uuid) VALUES (0, $p, $s, $c, 'bench@v1', 2, $b, 'raw')";
    var p = insert.Parameters.Add("$p", SqliteType.Text);
    var s = insert.Parameters.Add("$s", SqliteType.Integer);
    insert.Parameters.AddWithValue("$c", created);
    insert.Parameters.AddWithValue("$b", payload);
    for (var i = start; i < end; i++)
    {
        p.Value = $"pid-{i % ids}";
        s.Value = (i / ids) + 1;
        insert.ExecuteNonQuery();
    }

    tx.Commit();
}

static async Task RawPostgresBatchAsync(string connectionString, int start, int end, int ids, byte[] payload, long created)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var tx = await connection.BeginTransactionAsync();
    await using (var importer = await connection.BeginBinaryImportAsync("COPY journal (deleted, persistence_id, sequence_number, created, manifest, identifier, payload, writer_uuid) FROM STDIN (FORMAT BINARY)"))
    {
        for (var i = start; i < end; i++)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(false, NpgsqlDbType.Boolean);
            await importer.WriteAsync($"pid-{i % ids}", NpgsqlDbType.Varchar);
            await importer.WriteAsync((long)(i / ids) + 1, NpgsqlDbType.Bigint);
            await importer.WriteAsync(created, NpgsqlDbType.Bigint);
            await importer.WriteAsync("bench@v1", NpgsqlDbType.Varchar);
            await importer.WriteAsync(2, NpgsqlDbType.Integer);
            await importer.WriteAsync(payload, NpgsqlDbType.Bytea);
            await importer.WriteAsync("raw", NpgsqlDbType.Varchar);
        }

        await importer.CompleteAsync();
    }

    await tx.CommitAsync();
}

static async Task<double> RawReadAsync(SqlJournalOptions options, int expected)
{
    var sw = Stopwatch.StartNew();
    long count = 0;
    const string Sql = "SELECT sequence_number, created, manifest, identifier, payload, writer_uuid FROM journal WHERE persistence_id = 'pid-0' ORDER BY sequence_number";
    if (options.Backend == SqlBackend.Sqlite)
    {
        await using var connection = new SqliteConnection($"Data Source={options.ConnectionString}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            _ = reader.GetFieldValue<byte[]>(4);
            count++;
        }
    }
    else
    {
        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            _ = reader.GetFieldValue<byte[]>(4);
            count++;
        }
    }

    Check(count == expected, $"raw read {count} of {expected}");
    return count / sw.Elapsed.TotalSeconds;
}

// The plain way to read many short streams: 8 workers, each with its own open connection and one prepared SELECT.
static async Task<double> RawShortReadsAsync(SqlJournalOptions options, int streams, int perStream)
{
    const string Sql = "SELECT sequence_number, created, manifest, identifier, payload, writer_uuid FROM journal WHERE persistence_id = @p ORDER BY sequence_number";
    const int Workers = 8;
    long count = 0;
    var sw = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
    {
        await using System.Data.Common.DbConnection connection = options.Backend == SqlBackend.Sqlite
            ? new SqliteConnection($"Data Source={options.ConnectionString}")
            : new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        var p = command.CreateParameter();
        p.ParameterName = "@p";
        p.DbType = System.Data.DbType.String;
        p.Value = "pid-0";
        command.Parameters.Add(p);
        await command.PrepareAsync();
        long local = 0;
        for (var i = w; i < streams; i += Workers)
        {
            p.Value = $"pid-{i}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                _ = reader.GetFieldValue<byte[]>(4);
                local++;
            }
        }

        Interlocked.Add(ref count, local);
    })));
    Check(count == (long)streams * perStream, $"raw short reads {count}");
    return count / sw.Elapsed.TotalSeconds;
}

static void Check(bool condition, string message)
{
    if (!condition)
    {
        throw new InvalidOperationException(message);
    }
}
