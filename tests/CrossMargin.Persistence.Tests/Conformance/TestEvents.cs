using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Persistence.Tests.Conformance;

public sealed record Deposited(string Account, decimal Amount);

public sealed record Withdrawn(string Account, decimal Amount);

public sealed record AccountState(string Account, decimal Balance);

/// <summary>Not registered with the serializer: writing it must be rejected.</summary>
public sealed record NotSerializable(int Value);

public static class TestEvents
{
    public static EventSerializer Serializer() => new EventSerializer()
        .Register<Deposited>("deposited", 1)
        .Register<Withdrawn>("withdrawn", 1)
        .Register<AccountState>("account-state", 1);

    public static AtomicWrite Event(string pid, long seq, string writer = "w1", params string[] tags)
        => new(new PersistentRepr(pid, seq, new Deposited(pid, seq), writer, tags));

    public static AtomicWrite[] Range(string pid, long from, long to, string writer = "w1")
        => Enumerable.Range((int)from, (int)(to - from + 1)).Select(s => Event(pid, s, writer)).ToArray();

    public static async Task WriteAllAsync(IJournal journal, IReadOnlyList<AtomicWrite> writes)
    {
        var results = await journal.WriteMessagesAsync(writes);
        Assert.All(results, r => Assert.True(r.IsSuccess, $"write failed: {r.Error}"));
    }

    public static async Task<List<PersistentRepr>> ReplayAsync(IJournal journal, string pid, long from = 1, long to = long.MaxValue, long max = long.MaxValue)
    {
        var events = new List<PersistentRepr>();
        await journal.ReplayMessagesAsync(pid, from, to, max, events.Add);
        return events;
    }

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
