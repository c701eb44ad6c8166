using CrossMargin.Persistence.Batching;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Persistence.Tests.Batching;

public sealed class GroupCommitWriterTests
{
    private static readonly GroupCommitOptions FastRetry = new(MaxBatchRows: 1000, Parallelism: 1, MaxRetries: 3, MinBackoff: TimeSpan.FromMilliseconds(1), MaxBackoff: TimeSpan.FromMilliseconds(2));

    private static SerializedEvent[] Write(string pid, long seq, string writer = "w") =>
        new[] { new SerializedEvent(pid, seq, 0, "m@v1", 1, Array.Empty<byte>(), writer, Array.Empty<string>()) };

    [Fact]
    public async Task Writer_should_put_writes_queued_during_a_transaction_into_one_next_batch()
    {
        var sink = new FakeSink();
        var gate = new TaskCompletionSource();
        sink.BeforeCommit = _ => gate.Task;
        await using var writer = new GroupCommitWriter(sink, FastRetry);

        var first = writer.WriteAsync(Write("a", 1));
        await sink.Entered.Task;
        var rest = Enumerable.Range(1, 50).Select(i => writer.WriteAsync(Write($"b{i}", 1))).ToArray();
        sink.BeforeCommit = null;
        gate.SetResult();
        await Task.WhenAll(rest.Append(first));

        Assert.Equal(new[] { 1, 50 }, sink.CommittedBatchSizes);
    }

    [Fact]
    public async Task Writer_should_commit_the_writes_of_one_call_in_one_transaction()
    {
        var sink = new FakeSink();
        var gate = new TaskCompletionSource();
        sink.BeforeCommit = _ => gate.Task;
        await using var writer = new GroupCommitWriter(sink, FastRetry with { Parallelism = 2 });
        var blocker = writer.WriteAsync(Write("x", 1));
        await sink.Entered.Task;
        sink.BeforeCommit = null;
        await Task.WhenAll(writer.WriteAllAsync(new[] { Write("a", 1), Write("b", 1), Write("c", 1) }));
        gate.SetResult();
        await blocker;
        Assert.Contains(3, sink.CommittedBatchSizes);
    }

    [Fact]
    public async Task Writer_should_settle_a_group_with_one_outcome_per_write_when_one_write_is_a_duplicate()
    {
        var sink = new FakeSink();
        sink.Stored.Add(("dup", 1));
        await using var writer = new GroupCommitWriter(sink, FastRetry);

        var errors = await writer.WriteGroupAsync(new[] { Write("a", 1), Write("dup", 1, writer: "other"), Write("b", 1) });

        Assert.Null(errors[0]);
        Assert.IsType<DuplicateSequenceNumberException>(errors[1]);
        Assert.Null(errors[2]);
        Assert.Contains(("a", 1L), sink.Stored);
        Assert.Contains(("b", 1L), sink.Stored);
    }

    [Fact]
    public async Task Writer_should_complete_an_empty_group_at_once()
    {
        await using var writer = new GroupCommitWriter(new FakeSink(), FastRetry);
        Assert.Empty(await writer.WriteGroupAsync(Array.Empty<SerializedEvent[]>()));
    }

    [Fact]
    public async Task Writer_should_isolate_a_duplicate_so_the_other_writes_of_the_batch_commit()
    {
        var sink = new FakeSink();
        sink.Stored.Add(("dup", 1));
        var gate = new TaskCompletionSource();
        sink.BeforeCommit = _ => gate.Task;
        await using var writer = new GroupCommitWriter(sink, FastRetry);
        var blocker = writer.WriteAsync(Write("x", 1));
        await sink.Entered.Task;
        var good1 = writer.WriteAsync(Write("a", 1));
        var bad = writer.WriteAsync(Write("dup", 1, writer: "other"));
        var good2 = writer.WriteAsync(Write("b", 1));
        sink.BeforeCommit = null;
        gate.SetResult();

        await Task.WhenAll(blocker, good1, good2);
        var error = await Assert.ThrowsAsync<DuplicateSequenceNumberException>(() => bad);
        Assert.Equal("dup", error.PersistenceId);
        Assert.Contains(("a", 1L), sink.Stored);
        Assert.Contains(("b", 1L), sink.Stored);
    }

    [Fact]
    public async Task Writer_should_count_a_retry_of_a_batch_that_committed_before_its_acknowledgement_was_lost_as_success()
    {
        var sink = new FakeSink { LoseAcknowledgements = 1 };
        await using var writer = new GroupCommitWriter(sink, FastRetry);

        await writer.WriteAsync(Write("a", 1, writer: "w-a"));

        Assert.Single(sink.Stored, ("a", 1L));
        Assert.Equal(1, sink.AlreadyStoredChecks);
    }

    [Fact]
    public async Task Writer_should_retry_transient_failures_with_backoff_and_then_commit()
    {
        var sink = new FakeSink { TransientFailures = 2 };
        await using var writer = new GroupCommitWriter(sink, FastRetry);
        await writer.WriteAsync(Write("a", 1));
        Assert.Single(sink.Stored);
        Assert.Equal(3, sink.Attempts);
    }

    [Fact]
    public async Task Writer_should_fail_the_writes_when_transient_failures_outlast_the_retries()
    {
        var sink = new FakeSink { TransientFailures = 100 };
        await using var writer = new GroupCommitWriter(sink, FastRetry);
        await Assert.ThrowsAsync<TimeoutException>(() => writer.WriteAsync(Write("a", 1)));
        Assert.Equal(FastRetry.MaxRetries + 1, sink.Attempts);
        Assert.Empty(sink.Stored);
    }

    [Fact]
    public async Task Writer_should_finish_queued_writes_when_disposed()
    {
        var sink = new FakeSink();
        var writer = new GroupCommitWriter(sink, FastRetry);
        var writes = Enumerable.Range(1, 20).Select(i => writer.WriteAsync(Write("a", i))).ToArray();
        await writer.DisposeAsync();
        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully));
        Assert.Throws<ObjectDisposedException>(() => { _ = writer.WriteAsync(Write("a", 21)); });
    }

    private sealed class UniqueViolation : Exception;

    private sealed class FakeSink : IBatchSink
    {
        private readonly object _gate = new();

        public HashSet<(string, long)> Stored { get; } = new();

        public Dictionary<(string, long), string> Writers { get; } = new();

        public List<int> CommittedBatchSizes { get; } = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Func<IReadOnlyList<SerializedEvent>, Task>? BeforeCommit { get; set; }

        public int TransientFailures { get; set; }

        public int LoseAcknowledgements { get; set; }

        public int Attempts { get; private set; }

        public int AlreadyStoredChecks { get; private set; }

        public async Task WriteBatchAsync(IReadOnlyList<SerializedEvent> rows, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            if (BeforeCommit is { } hook)
            {
                await hook(rows);
            }

            lock (_gate)
            {
                Attempts++;
                if (TransientFailures > 0)
                {
                    TransientFailures--;
                    throw new TimeoutException("connection lost");
                }

                if (rows.Any(r => Stored.Contains((r.PersistenceId, r.SequenceNr))))
                {
                    throw new UniqueViolation();
                }

                foreach (var r in rows)
                {
                    Stored.Add((r.PersistenceId, r.SequenceNr));
                    Writers[(r.PersistenceId, r.SequenceNr)] = r.WriterUuid;
                }

                CommittedBatchSizes.Add(rows.Count);
                if (LoseAcknowledgements > 0)
                {
                    LoseAcknowledgements--;
                    throw new TimeoutException("connection lost after commit");
                }
            }
        }

        public bool IsUniqueViolation(Exception error) => error is UniqueViolation;

        public bool IsTransient(Exception error) => error is TimeoutException;

        public Task<bool> IsAlreadyStoredAsync(IReadOnlyList<SerializedEvent> write, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                AlreadyStoredChecks++;
                return Task.FromResult(write.All(r => Writers.TryGetValue((r.PersistenceId, r.SequenceNr), out var w) && w == r.WriterUuid));
            }
        }
    }
}
