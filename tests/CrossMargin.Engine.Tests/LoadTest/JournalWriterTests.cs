using System.Security.Cryptography;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Simulation;
using CrossMargin.Persistence.InMemory;
using CrossMargin.Persistence.Journal;
using Xunit;

namespace CrossMargin.Engine.Tests.LoadTest;

/// <summary>The journal writer's hand-off policies (the load test hands over whenever the journal is idle) and its allocation-free hash framing.</summary>
public sealed class JournalWriterTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)] // rows hashed by the write task instead of on append
    public void The_hash_should_be_the_reference_framing_of_every_row_in_append_order(bool flushWhenIdle)
    {
        var serializer = EngineSerialization.Create();
        var writer = new JournalWriter(new InMemoryJournal(serializer), serializer, "w", batchSize: 3) { FlushWhenIdle = flushWhenIdle };
        using var reference = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var scratch = new byte[8];
        var sequences = new Dictionary<string, long>();
        for (var i = 0; i < 10; i++)
        {
            // Ids of several lengths, one beyond the writer's initial id buffer, and a non-ASCII one.
            var id = (i % 3) switch { 0 => EngineIds.Feed("BTC-PERP"), 1 => "account-" + new string('9', 200), _ => "feed-É€" };
            var e = new IndexTickReceived(i, 100m + i, 100.5m + i);
            writer.Append(id, e);
            sequences[id] = sequences.GetValueOrDefault(id) + 1;
            var payload = serializer.Serialize(e);
            JournalWriter.HashRow(reference, scratch, id, sequences[id], payload.Manifest, payload.Payload);
        }

        if (!flushWhenIdle)
        {
            writer.Complete();
            Assert.Equal(4, writer.Batches); // 3 + 3 + 3 + the tail of 1
        }

        // Asked with rows still buffered when flushing when idle: the hash still covers every row appended.
        Assert.Equal(Convert.ToHexStringLower(reference.GetCurrentHash()), writer.CurrentHash());
        Assert.Equal(10, writer.Events);
        Assert.Equal(0, writer.Buffered);
    }

    [Fact]
    public async Task Flushing_when_idle_should_batch_what_arrives_during_a_write_and_keep_order()
    {
        var serializer = EngineSerialization.Create();
        var journal = new GatedJournal(new InMemoryJournal(serializer));
        var writer = new JournalWriter(journal, serializer, "w") { FlushWhenIdle = true, IdleBatchDelay = TimeSpan.MaxValue };

        // The journal is idle, but fewer events than the idle batch wait (no delay here: the test does not depend on time).
        for (var i = 0; i < 300; i++)
        {
            writer.Append("feed-A", new IndexTickReceived(i, 1m, 1m));
        }

        // 256 buffered events reached the idle batch: handed over, and that write is now held at the gate.
        await journal.Entered.Task;
        Assert.Equal(1, writer.Batches);
        for (var i = 300; i < 1_000; i++)
        {
            writer.Append("feed-A", new IndexTickReceived(i, 1m, 1m));
        }

        Assert.Equal(1, writer.Batches); // nothing else handed over while the write is in flight
        Assert.Equal(1_000 - 256, writer.Buffered);
        Assert.False(writer.TryComplete(TimeSpan.Zero)); // bounded drain: the first write is still held
        journal.Release();
        writer.Complete();
        Assert.Equal(0, writer.Buffered);
        var seen = new List<long>();
        await journal.Inner.ReplayMessagesAsync("feed-A", 1, long.MaxValue, long.MaxValue, r =>
        {
            // Serialized once by the write task for the hash; the journal stored those bytes and reads the event back.
            Assert.Equal(new IndexTickReceived(r.SequenceNr - 1, 1m, 1m), r.Payload);
            seen.Add(r.SequenceNr);
        });
        Assert.Equal(Enumerable.Range(1, 1_000).Select(i => (long)i), seen);
        Assert.Equal([256, 1_000 - 256], journal.BatchSizes);
    }

    [Fact]
    public void A_failed_write_should_surface_on_the_next_hand_off()
    {
        var serializer = EngineSerialization.Create();
        var writer = new JournalWriter(new FailingJournal(), serializer, "w", batchSize: 2) { FlushWhenIdle = true };
        writer.Append("feed-A", new IndexTickReceived(1, 1m, 1m));
        writer.Append("feed-A", new IndexTickReceived(2, 1m, 1m));
        var e = Assert.Throws<InvalidOperationException>(writer.Complete);
        Assert.Contains("feed-A #1", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Holds the first write until <see cref="Release"/>; records every batch's size.</summary>
    private sealed class GatedJournal(InMemoryJournal inner) : IJournal
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public InMemoryJournal Inner => inner;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int> BatchSizes { get; } = [];

        public void Release() => _gate.TrySetResult();

        public async Task<IReadOnlyList<WriteResult>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default)
        {
            lock (BatchSizes)
            {
                BatchSizes.Add(writes.Count);
            }

            Entered.TrySetResult();
            await _gate.Task.ConfigureAwait(false);
            return await inner.WriteMessagesAsync(writes, cancellationToken).ConfigureAwait(false);
        }

        public Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default) =>
            inner.ReplayMessagesAsync(persistenceId, fromSequenceNr, toSequenceNr, max, onEvent, cancellationToken);

        public Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default) =>
            inner.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);

        public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) =>
            inner.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>Rejects every write.</summary>
    private sealed class FailingJournal : IJournal
    {
        public Task<IReadOnlyList<WriteResult>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<WriteResult>>(writes.Select(_ => WriteResult.Failed(new IOException("disk full"))).ToArray());

        public Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default) => Task.FromResult(0L);

        public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
