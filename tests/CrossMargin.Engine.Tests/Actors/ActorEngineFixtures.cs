using System.Security.Cryptography;
using System.Text;
using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Persistence.InMemory;
using CrossMargin.Persistence.Query;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Engine.Tests.Actors;

/// <summary>Runs of the actor engine on an in-memory journal and snapshot store.</summary>
internal static class ActorEngineFixtures
{
    public static (ActorEngine Engine, InMemoryJournal Journal, InMemorySnapshotStore Snapshots, EventSerializer Serializer) Create(
        Scenario scenario, ActorEngineOptions? options = null, InMemoryJournal? journal = null, InMemorySnapshotStore? snapshots = null)
    {
        var serializer = ActorEngine.RegisterSnapshots(EngineSerialization.Create());
        journal ??= new InMemoryJournal(serializer);
        snapshots ??= new InMemorySnapshotStore(serializer);
        return (new ActorEngine(scenario, journal, snapshots, options), journal, snapshots, serializer);
    }

    /// <summary>Seeds, classifies and feeds every tick of the scenario.</summary>
    public static void RunAll(ActorEngine engine, Scenario scenario)
    {
        engine.Seed();
        engine.RegisterAll();
        foreach (var tick in scenario.CreateTickSource().Ticks())
        {
            engine.OnTick(tick);
        }
    }

    /// <summary>Every persistence id's events (manifest + payload, in sequence order), ascending id; <paramref name="skip"/> ids left out.</summary>
    public static SortedDictionary<string, List<string>> EventsByPersistenceId(IReadJournal read, EventSerializer serializer, params string[] skip)
    {
        var result = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var ids = new List<string>();
        Collect(read.CurrentPersistenceIds(), ids);
        foreach (var pid in ids.Where(p => !skip.Contains(p)))
        {
            var events = new List<EventEnvelope>();
            Collect(read.CurrentEventsByPersistenceId(pid, 0, long.MaxValue), events);
            result[pid] = events.Select(e =>
            {
                var p = serializer.Serialize(e.Event);
                return e.SequenceNr + " " + p.Manifest + " " + Encoding.UTF8.GetString(p.Payload);
            }).ToList();
        }

        return result;
    }

    /// <summary>SHA-256 over <see cref="EventsByPersistenceId"/> (per-persistence-id order, ids ascending).</summary>
    public static string Digest(SortedDictionary<string, List<string>> events)
    {
        var text = new StringBuilder();
        foreach (var (pid, list) in events)
        {
            text.Append(pid).Append('\n');
            foreach (var e in list)
            {
                text.Append(e).Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void Collect<T>(IAsyncEnumerable<T> source, List<T> into)
    {
        var e = source.GetAsyncEnumerator();
        try
        {
            while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                into.Add(e.Current);
            }
        }
        finally
        {
            e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
