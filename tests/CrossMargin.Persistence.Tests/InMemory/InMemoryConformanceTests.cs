using CrossMargin.Persistence.InMemory;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Snapshot;
using CrossMargin.Persistence.Tests.Conformance;

namespace CrossMargin.Persistence.Tests.InMemory;

public sealed class InMemoryJournalSpec : JournalSpec
{
    protected override Task<IJournal> OpenJournalAsync(EventSerializer serializer)
        => Task.FromResult<IJournal>(new InMemoryJournal(serializer));

    protected override Task<IJournal> ReopenJournalAsync(IJournal first, EventSerializer serializer)
        => Task.FromResult<IJournal>(((InMemoryJournal)first).Reopen(serializer));
}

public sealed class InMemorySnapshotStoreSpec : SnapshotStoreSpec
{
    protected override Task<ISnapshotStore> OpenSnapshotStoreAsync(EventSerializer serializer)
        => Task.FromResult<ISnapshotStore>(new InMemorySnapshotStore(serializer));
}

public sealed class InMemoryReadJournalSpec : ReadJournalSpec
{
    protected override Task<IJournal> OpenJournalAsync(EventSerializer serializer)
        => Task.FromResult<IJournal>(new InMemoryJournal(serializer));
}
