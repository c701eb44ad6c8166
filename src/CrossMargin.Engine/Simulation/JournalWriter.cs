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
/// <remarks>
/// <para>Two hand-off policies. By default a batch goes to the journal when it holds <c>batchSize</c> events, on the
/// appending thread (the journal serializes and stamps the rows there, at the simulated time of the hand-off, so a
/// deterministic run writes byte-identical rows). With <see cref="FlushWhenIdle"/> (the load test) the buffer is handed
/// over as soon as the previous write is durable and the journal call runs on a thread-pool worker: batches then grow
/// with the load, the journal's own serialization leaves the appending thread, and the lag stays about one write long.
/// Either way at most one write is in flight and writes keep their order.</para>
/// <para>Appending allocates only what the journal keeps (the row's envelope and payload bytes): the hash framing
/// reuses buffers and two batch lists are recycled. With <see cref="FlushWhenIdle"/> the rows are serialized once and
/// hashed by the write task before the journal call, not by the appending thread, and the journal stores those bytes;
/// the digest is the same.</para>
/// </remarks>
public sealed class JournalWriter
{
    private static readonly byte[] Separator = [0];
    private readonly IJournal _journal;
    private readonly EventSerializer _serializer;
    private readonly string _writerUuid;
    private readonly int _batchSize;
    private readonly Dictionary<string, long> _sequence = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _manifestBytes = new(StringComparer.Ordinal);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    // Rows are framed into this staging buffer and hashed a buffer at a time: one hash call per row field cost more
    // than the rest of the append (SHA-256 over a stream gives the same digest however the stream is split).
    private readonly byte[] _staged = new byte[64 * 1024];
    private int _stagedLength;
    private List<AtomicWrite> _buffer;
    private List<AtomicWrite>? _spare;
    private List<AtomicWrite>? _inflightBatch;
    private Task? _inflight;
    private long _lastHandOff = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Creates the writer.</summary>
    /// <param name="journal">Target journal.</param>
    /// <param name="serializer">Serializer the journal uses (for the hash's payload bytes).</param>
    /// <param name="writerUuid">Writer identity stored with each row (derived from the seed: no GUIDs in deterministic runs).</param>
    /// <param name="batchSize">Events per journal call (the most with <see cref="FlushWhenIdle"/>).</param>
    public JournalWriter(IJournal journal, EventSerializer serializer, string writerUuid, int batchSize = 20_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _journal = journal;
        _serializer = serializer;
        _writerUuid = writerUuid;
        _batchSize = batchSize;
        _buffer = new List<AtomicWrite>(Math.Min(batchSize, 4_096));
    }

    /// <summary>
    /// When true, the buffer is handed to the journal (on a thread-pool worker) as soon as the previous write has
    /// completed, instead of when it is full: low lag, batches that grow with load. Batch boundaries, and so the rows'
    /// created stamps, then depend on timing; deterministic runs leave it off (the default). The hash is the same.
    /// </summary>
    public bool FlushWhenIdle { get; init; }

    /// <summary>Events appended so far.</summary>
    public long Events { get; private set; }

    /// <summary>Events appended so far by CLR type (the event's kind): what a run's journal is made of.</summary>
    public IReadOnlyDictionary<Type, long> EventsByType => _byType;

    private readonly Dictionary<Type, long> _byType = new();

    /// <summary>Events appended but not yet handed to the journal.</summary>
    public int Buffered => _buffer.Count;

    /// <summary>Batches handed to the journal so far.</summary>
    public long Batches { get; private set; }

    /// <summary>Highest sequence number per persistence id.</summary>
    public IReadOnlyDictionary<string, long> Sequences => _sequence;

    /// <summary>Appends <paramref name="e"/> to <paramref name="persistenceId"/>'s stream; writes when a batch is full (or, with <see cref="FlushWhenIdle"/>, when the journal is idle).</summary>
    public void Append(string persistenceId, object e)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_sequence, persistenceId, out _);
        var seq = ++slot;
        if (!FlushWhenIdle)
        {
            var payload = _serializer.Serialize(e);
            HashRowFast(persistenceId, seq, payload.Manifest, payload.Payload);
        }

        _buffer.Add(new AtomicWrite(new PersistentRepr(persistenceId, seq, e, _writerUuid)));
        Events++;
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_byType, e.GetType(), out _)++;
        if (_buffer.Count >= _batchSize || (FlushWhenIdle && IdleHandOffDue()))
        {
            Flush();
        }
    }

    /// <summary>
    /// With <see cref="FlushWhenIdle"/>: the journal is idle and the buffer holds enough to be worth a write — at least
    /// <see cref="IdleBatchRows"/> events, or anything at all once <see cref="IdleBatchDelay"/> passed since the
    /// last hand-off (so a trickle is not held back, and a fast journal is not called once per event).
    /// </summary>
    private bool IdleHandOffDue()
    {
        if (_inflight is { IsCompleted: false })
        {
            return false;
        }

        return _buffer.Count >= IdleBatchRows || System.Diagnostics.Stopwatch.GetElapsedTime(_lastHandOff) >= IdleBatchDelay;
    }

    /// <summary>With <see cref="FlushWhenIdle"/>: the smallest hand-off to an idle journal that does not wait for <see cref="IdleBatchDelay"/>; 256 by default.</summary>
    public int IdleBatchRows { get; init; } = 256;

    /// <summary>With <see cref="FlushWhenIdle"/>: the longest events wait in the buffer while the journal is idle (measured from the last hand-off); 2 ms by default.</summary>
    public TimeSpan IdleBatchDelay { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The hash of every row appended so far (lower-case hex).</summary>
    public string CurrentHash()
    {
        if (FlushWhenIdle)
        {
            Complete(); // rows are hashed by the write task: hand over and wait for the last one
        }

        HashStaged();
        return Convert.ToHexStringLower(_hash.GetCurrentHash());
    }

    /// <summary>Hands the buffered events to the journal (waits for the previous write first, keeping order and memory bounded).</summary>
    public void Flush()
    {
        if (_buffer.Count == 0)
        {
            return;
        }

        WaitInflight();
        var batch = _buffer;
        _buffer = _spare ?? new List<AtomicWrite>(Math.Min(_batchSize, 4_096));
        _spare = null;
        _inflightBatch = batch;
        Batches++;
        _lastHandOff = System.Diagnostics.Stopwatch.GetTimestamp();
        _inflight = FlushWhenIdle ? Task.Run(() => WriteAsync(batch)) : WriteAsync(batch);
    }

    /// <summary>Writes everything buffered and waits until it is durable.</summary>
    public void Complete()
    {
        Flush();
        WaitInflight();
    }

    /// <summary>
    /// Like <see cref="Complete"/> but gives up waiting after <paramref name="timeout"/> (a shutdown window): true when
    /// everything appended is durable; false when a write is still in flight (it goes on in the background; call
    /// <see cref="Complete"/> to wait for it). A failed write throws.
    /// </summary>
    public bool TryComplete(TimeSpan timeout)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!WaitInflight(timeout))
        {
            return false;
        }

        Flush();
        var left = timeout - System.Diagnostics.Stopwatch.GetElapsedTime(start);
        return WaitInflight(left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    /// <summary>Waits at most <paramref name="timeout"/> for the write in flight; true when none is left.</summary>
    private bool WaitInflight(TimeSpan timeout)
    {
        if (_inflight is { } task)
        {
            try
            {
                if (!task.Wait(timeout.TotalMilliseconds >= int.MaxValue ? Timeout.InfiniteTimeSpan : timeout))
                {
                    return false;
                }
            }
            catch (AggregateException)
            {
                // Rethrown unwrapped by WaitInflight() below.
            }

            WaitInflight();
        }

        return true;
    }

    private void WaitInflight()
    {
        if (_inflight is null)
        {
            return;
        }

        try
        {
            _inflight.GetAwaiter().GetResult();
        }
        finally
        {
            _inflight = null;
        }

        // The journal is done with the batch list (rows were serialized from it): recycle it for the next batch.
        if (_inflightBatch is { } done)
        {
            done.Clear();
            _spare = done.Capacity <= 4 * Math.Min(_batchSize, 4_096) ? done : null;
            _inflightBatch = null;
        }
    }

    private async Task WriteAsync(List<AtomicWrite> batch)
    {
        if (FlushWhenIdle)
        {
            // The rows are serialized and hashed here, on the write task, in batch order (one write is in flight at a
            // time, so the hash state has one user): serializing them for the hash was the largest cost of an append on
            // the engine thread. The journal stores the same bytes (a SerializedPayload passes through its serializer).
            for (var i = 0; i < batch.Count; i++)
            {
                var row = batch[i].Events[0]; // Append makes one-event writes
                var payload = _serializer.Serialize(row.Payload);
                HashRowFast(row.PersistenceId, row.SequenceNr, payload.Manifest, payload.Payload);
                batch[i] = new AtomicWrite(new PersistentRepr(row.PersistenceId, row.SequenceNr, payload, row.WriterUuid));
            }
        }

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

    /// <summary><see cref="HashRow"/>'s framing without per-row allocations or hash calls: bytes go to the staging buffer.</summary>
    private void HashRowFast(string persistenceId, long sequenceNr, string manifest, byte[] payload)
    {
        Stage(persistenceId);
        StageByte(0);
        StageInt64(sequenceNr);
        if (!_manifestBytes.TryGetValue(manifest, out var m))
        {
            _manifestBytes[manifest] = m = Encoding.UTF8.GetBytes(manifest);
        }

        Stage(m);
        StageByte(0);
        StageInt64(payload.Length);
        Stage(payload);
    }

    private void Stage(string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max > _staged.Length - _stagedLength)
        {
            HashStaged();
            if (max > _staged.Length)
            {
                Stage(Encoding.UTF8.GetBytes(text));
                return;
            }
        }

        _stagedLength += Encoding.UTF8.GetBytes(text, _staged.AsSpan(_stagedLength));
    }

    private void Stage(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _staged.Length - _stagedLength)
        {
            HashStaged();
            if (bytes.Length > _staged.Length)
            {
                _hash.AppendData(bytes);
                return;
            }
        }

        bytes.CopyTo(_staged.AsSpan(_stagedLength));
        _stagedLength += bytes.Length;
    }

    private void StageByte(byte b)
    {
        if (_stagedLength == _staged.Length)
        {
            HashStaged();
        }

        _staged[_stagedLength++] = b;
    }

    private void StageInt64(long value)
    {
        if (_staged.Length - _stagedLength < 8)
        {
            HashStaged();
        }

        BitConverter.TryWriteBytes(_staged.AsSpan(_stagedLength, 8), value);
        _stagedLength += 8;
    }

    private void HashStaged()
    {
        _hash.AppendData(_staged, 0, _stagedLength);
        _stagedLength = 0;
    }

    /// <summary>Adds one row to a journal hash (the same framing the run and replay use).</summary>
    public static void HashRow(IncrementalHash hash, byte[] scratch, string persistenceId, long sequenceNr, string manifest, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(scratch);
        hash.AppendData(Encoding.UTF8.GetBytes(persistenceId));
        hash.AppendData(Separator);
        BitConverter.TryWriteBytes(scratch, sequenceNr);
        hash.AppendData(scratch, 0, 8);
        hash.AppendData(Encoding.UTF8.GetBytes(manifest));
        hash.AppendData(Separator);
        BitConverter.TryWriteBytes(scratch, (long)payload.Length);
        hash.AppendData(scratch, 0, 8);
        hash.AppendData(payload);
    }
}
