using System.Runtime.CompilerServices;
using CrossMargin.Actors;
using CrossMargin.Persistence.Configuration;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Snapshot;

namespace CrossMargin.Persistence.Actors;

/// <summary>
/// The persistence extension of one actor system: the journal, snapshot store, settings and recovery permits its
/// persistent actors use. Call <see cref="Configure"/> once, before creating persistent actors.
/// </summary>
public sealed class Persistence
{
    private static readonly ConditionalWeakTable<ActorSystem, Persistence> BySystem = new();

    private Persistence(IJournal journal, ISnapshotStore snapshotStore, PersistenceSettings settings)
    {
        Journal = journal;
        SnapshotStore = snapshotStore;
        Settings = settings;
        RecoveryPermitter = new RecoveryPermitter(settings.MaxConcurrentRecoveries);
    }

    /// <summary>The journal persistent actors write to.</summary>
    public IJournal Journal { get; }

    /// <summary>The snapshot store.</summary>
    public ISnapshotStore SnapshotStore { get; }

    /// <summary>The settings.</summary>
    public PersistenceSettings Settings { get; }

    /// <summary>The recovery cap shared by the system's persistent actors.</summary>
    public RecoveryPermitter RecoveryPermitter { get; }

    /// <summary>Installs the plugins for <paramref name="system"/>. The caller keeps ownership (dispose them after the system terminated).</summary>
    /// <exception cref="InvalidOperationException">Already configured for this system.</exception>
    public static Persistence Configure(ActorSystem system, IJournal journal, ISnapshotStore snapshotStore, PersistenceSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshotStore);
        var extension = new Persistence(journal, snapshotStore, settings ?? new PersistenceSettings());
        if (!BySystem.TryAdd(system, extension))
        {
            throw new InvalidOperationException($"persistence is already configured for actor system {system.Name}");
        }

        return extension;
    }

    /// <summary>The extension of <paramref name="system"/>.</summary>
    /// <exception cref="InvalidOperationException">Not configured; the message says how.</exception>
    public static Persistence Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return BySystem.TryGetValue(system, out var extension)
            ? extension
            : throw new InvalidOperationException($"persistence is not configured for actor system {system.Name}: call Persistence.Configure(system, journal, snapshotStore) before creating persistent actors");
    }
}
