using System.Security.Cryptography;
using System.Text;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// Numbers events per persistence id (contiguous from 1), batches them into large journal writes (one write in flight
/// while the next fills) and hashes every row in journal order: SHA-256 over, per row, the persistence id, the
/// sequence number, the manifest and the payload bytes. Single-threaded: one driver appends.
/// </summary>
public sealed class JournalWriter
{
    private readonly IJournal _journal;
    private readonly EventSerializer _serializer;
    private readonly string _writerUuid;
    private readonly int _batchSize;
    private readonly Dictionary<string, long> _sequence = new(StringComparer.Ordinal);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _scratch = new byte[8];
    private List<AtomicWrite> _buffer;
    private Task? _inflight;

    /// <summary>Creates the writer.</summary>
    /// <param name="journal">Target journal.</param>
    /// <param name="serializer">Serializer the journal uses (for the hash's payload bytes).</param>
    /// <param name="writerUuid">Writer identity stored with each row (derived from the seed: no GUIDs in deterministic runs).</param>
    /// <param name="batchSize">Events per journal call.</param>
    public JournalWriter(IJournal journal, EventSerializer serializer, string writerUuid, int batchSize = 20_000)
    {
        _journal = journal;
        _serializer = serializer;
        _writerUuid = writerUuid;
        _batchSize = batchSize;
        _buffer = new List<AtomicWrite>(batchSize);
    }

    /// <summary>Events appended so far.</summary>
    public long Events { get; private set; }

    /// <summary>Highest sequence number per persistence id.</summary>
    public IReadOnlyDictionary<string, long> Sequences => _sequence;

    /// <summary>Appends <paramref name="e"/> to <paramref name="persistenceId"/>'s stream; writes when a batch is full.</summary>
    public void Append(string persistenceId, object e)
    {
        var seq = (_sequence.TryGetValue(persistenceId, out var s) ? s : 0) + 1;
        _sequence[persistenceId] = seq;
        var payload = _serializer.Serialize(e);
        HashRow(_hash, _scratch, persistenceId, seq, payload.Manifest, payload.Payload);
        _buffer.Add(new AtomicWrite(new PersistentRepr(persistenceId, seq, e, _writerUuid)));
        Events++;
        if (_buffer.Count >= _batchSize)
        {
            Flush();
        }
    }

    /// <summary>The hash of every row appended so far (lower-case hex).</summary>
    public string CurrentHash() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    /// <summary>Hands the buffered events to the journal (waits for the previous write first, keeping order and memory bounded).</summary>
    public void Flush()
    {
        if (_buffer.Count == 0)
        {
            return;
        }

        var batch = _buffer;
        _buffer = new List<AtomicWrite>(_batchSize);
        _inflight?.GetAwaiter().GetResult();
        _inflight = WriteAsync(batch);
    }

    /// <summary>Writes everything buffered and waits until it is durable.</summary>
    public void Complete()
    {
        Flush();
        _inflight?.GetAwaiter().GetResult();
        _inflight = null;
    }

    private async Task WriteAsync(List<AtomicWrite> batch)
    {
        var results = await _journal.WriteMessagesAsync(batch).ConfigureAwait(false);
        for (var i = 0; i < results.Count; i++)
        {
            if (!results[i].IsSuccess)
            {
                var w = batch[i];
                throw new InvalidOperationException($"journal write of {w.PersistenceId} #{w.LowestSequenceNr} failed: {results[i].Error?.Message}", results[i].Error);
            }
        }
    }

    /// <summary>Adds one row to a journal hash (the same framing the run and replay use).</summary>
    public static void HashRow(IncrementalHash hash, byte[] scratch, string persistenceId, long sequenceNr, string manifest, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(scratch);
        hash.AppendData(Encoding.UTF8.GetBytes(persistenceId));
        hash.AppendData([0]);
        BitConverter.TryWriteBytes(scratch, sequenceNr);
        hash.AppendData(scratch, 0, 8);
        hash.AppendData(Encoding.UTF8.GetBytes(manifest));
        hash.AppendData([0]);
        BitConverter.TryWriteBytes(scratch, (long)payload.Length);
        hash.AppendData(scratch, 0, 8);
        hash.AppendData(payload);
    }
}
