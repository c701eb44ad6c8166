using System.Threading.Channels;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Persistence.Batching;

/// <summary>
/// Group commit: callers enqueue atomic writes from many streams; writer loops drain whatever is queued (up to
/// <see cref="GroupCommitOptions.MaxBatchRows"/>) into one transaction, so batches grow with load.
/// </summary>
/// <remarks>
/// Thread-safe. A batch that fails on the unique key is retried write by write so one bad writer cannot fail the
/// others; a transient failure is retried whole with exponential backoff. A retry whose rows turn out to be stored
/// already under the same writer uuid counts as success, so acknowledged events are neither lost nor doubled.
/// </remarks>
public sealed class GroupCommitWriter : IAsyncDisposable
{
    private readonly IBatchSink _sink;
    private readonly GroupCommitOptions _options;
    private readonly Channel<Pending[]> _queue = Channel.CreateUnbounded<Pending[]>(new UnboundedChannelOptions { SingleReader = false });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _loops;

    /// <summary>Starts <see cref="GroupCommitOptions.Parallelism"/> writer loops over <paramref name="sink"/>.</summary>
    public GroupCommitWriter(IBatchSink sink, GroupCommitOptions options)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Parallelism, 1);
        _sink = sink;
        _options = options;
        _loops = Enumerable.Range(0, options.Parallelism).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>Raised (on a writer thread) after each committed transaction; used to wake live queries.</summary>
    public event Action? Committed;

    /// <summary>Queues one atomic write; the task completes when it is committed or faults with the cause.</summary>
    /// <exception cref="ObjectDisposedException">The writer is shut down.</exception>
    public Task WriteAsync(IReadOnlyList<SerializedEvent> atomicWrite) => WriteAllAsync(new[] { atomicWrite })[0];

    /// <summary>
    /// Queues several atomic writes as one unit, so they land in the same transaction unless one of them has to be
    /// isolated; one task per write, completing when it is committed or faulting with its cause.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The writer is shut down.</exception>
    public Task[] WriteAllAsync(IReadOnlyList<IReadOnlyList<SerializedEvent>> atomicWrites)
    {
        ArgumentNullException.ThrowIfNull(atomicWrites);
        var group = new Pending[atomicWrites.Count];
        var tasks = new Task[group.Length];
        for (var i = 0; i < group.Length; i++)
        {
            group[i] = new Pending(atomicWrites[i]);
            tasks[i] = group[i].Task;
        }

        if (group.Length > 0 && !_queue.Writer.TryWrite(group))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "the journal is shut down");
        }

        return tasks;
    }

    /// <summary>
    /// Like <see cref="WriteAllAsync"/> but with one task for the whole unit: it completes when every write is settled,
    /// with one entry per write, in order: <c>null</c> when committed, else the cause. Never faults.
    /// </summary>
    /// <remarks>The cheap path for callers that wait for all writes anyway: one completion per unit, not per write.</remarks>
    /// <exception cref="ObjectDisposedException">The writer is shut down.</exception>
    public Task<Exception?[]> WriteGroupAsync(IReadOnlyList<IReadOnlyList<SerializedEvent>> atomicWrites)
    {
        ArgumentNullException.ThrowIfNull(atomicWrites);
        var outcome = new GroupOutcome(atomicWrites.Count);
        if (atomicWrites.Count == 0)
        {
            return Task.FromResult(outcome.Errors);
        }

        var group = new Pending[atomicWrites.Count];
        for (var i = 0; i < group.Length; i++)
        {
            group[i] = new Pending(atomicWrites[i], outcome, i);
        }

        if (!_queue.Writer.TryWrite(group))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "the journal is shut down");
        }

        return outcome.Completion.Task;
    }

    /// <summary>Stops accepting writes, finishes what is queued, and stops the loops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        var rows = new List<SerializedEvent>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            rows.Clear();
            while (rows.Count < _options.MaxBatchRows && reader.TryRead(out var group))
            {
                foreach (var next in group)
                {
                    batch.Add(next);
                    rows.AddRange(next.Rows);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch, rows).ConfigureAwait(false);
            }
        }
    }

    private async Task CommitAsync(List<Pending> batch, List<SerializedEvent> rows)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _sink.WriteBatchAsync(rows, _stopping.Token).ConfigureAwait(false);
                Committed?.Invoke();
                foreach (var pending in batch)
                {
                    pending.Succeed();
                }

                return;
            }
            catch (Exception error) when (_sink.IsUniqueViolation(error) || (batch.Count > 1 && !_sink.IsTransient(error)))
            {
                // Someone in the batch is at fault: isolate them so the others still commit.
                foreach (var pending in batch)
                {
                    await CommitSingleAsync(pending).ConfigureAwait(false);
                }

                return;
            }
            catch (Exception error) when (_sink.IsTransient(error) && attempt < _options.MaxRetries)
            {
                await Task.Delay(Backoff(attempt)).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                foreach (var pending in batch)
                {
                    pending.Fail(error);
                }

                return;
            }
        }
    }

    private async Task CommitSingleAsync(Pending pending)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _sink.WriteBatchAsync(pending.Rows, _stopping.Token).ConfigureAwait(false);
                Committed?.Invoke();
                pending.Succeed();
                return;
            }
            catch (Exception error) when (_sink.IsUniqueViolation(error))
            {
                var verdict = await ClassifyDuplicateAsync(pending, error).ConfigureAwait(false);
                if (verdict is null)
                {
                    pending.Succeed();
                }
                else
                {
                    pending.Fail(verdict);
                }

                return;
            }
            catch (Exception error) when (_sink.IsTransient(error) && attempt < _options.MaxRetries)
            {
                await Task.Delay(Backoff(attempt)).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                pending.Fail(error);
                return;
            }
        }
    }

    private async Task<Exception?> ClassifyDuplicateAsync(Pending pending, Exception error)
    {
        try
        {
            if (await _sink.IsAlreadyStoredAsync(pending.Rows, _stopping.Token).ConfigureAwait(false))
            {
                return null;
            }
        }
        catch (Exception checkError) when (_sink.IsTransient(checkError))
        {
            return checkError;
        }

        var first = pending.Rows[0];
        return new DuplicateSequenceNumberException(first.PersistenceId, first.SequenceNr, pending.Rows[^1].SequenceNr, error);
    }

    private TimeSpan Backoff(int attempt)
    {
        var ticks = _options.EffectiveMinBackoff.Ticks * (1L << Math.Min(attempt, 20));
        return TimeSpan.FromTicks(Math.Min(ticks, _options.EffectiveMaxBackoff.Ticks));
    }

    /// <summary>One atomic write; settles either its own task or its slot in a <see cref="GroupOutcome"/>.</summary>
    private sealed class Pending
    {
        private readonly TaskCompletionSource? _completion;
        private readonly GroupOutcome? _group;
        private readonly int _index;
        private int _settled;

        public Pending(IReadOnlyList<SerializedEvent> rows)
        {
            Rows = rows;
            _completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public Pending(IReadOnlyList<SerializedEvent> rows, GroupOutcome group, int index)
        {
            Rows = rows;
            _group = group;
            _index = index;
        }

        public IReadOnlyList<SerializedEvent> Rows { get; }

        /// <summary>The write's own task (only for writes queued through <see cref="WriteAllAsync"/>).</summary>
        public Task Task => _completion!.Task;

        public void Succeed() => Settle(null);

        public void Fail(Exception error) => Settle(error);

        private void Settle(Exception? error)
        {
            if (Interlocked.Exchange(ref _settled, 1) != 0)
            {
                return;
            }

            if (_completion is not null)
            {
                if (error is null)
                {
                    _completion.TrySetResult();
                }
                else
                {
                    _completion.TrySetException(error);
                }

                return;
            }

            _group!.Settle(_index, error);
        }
    }

    /// <summary>Per-write outcomes of a unit queued with <see cref="WriteGroupAsync"/>; completes when all are in.</summary>
    private sealed class GroupOutcome(int count)
    {
        private int _remaining = count;

        public Exception?[] Errors { get; } = new Exception?[count];

        public TaskCompletionSource<Exception?[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Settle(int index, Exception? error)
        {
            Errors[index] = error;
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                Completion.TrySetResult(Errors);
            }
        }
    }
}
