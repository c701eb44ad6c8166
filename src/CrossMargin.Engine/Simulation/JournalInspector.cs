using System.Runtime.CompilerServices;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Reporting;
using CrossMargin.Persistence.Query;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// <c>crossmargin journal list | show | tail | stats</c>: read-only views of an engine journal. Never writes; an
/// absent SQLite file is refused rather than created.
/// </summary>
public sealed class JournalInspector : IJournalInspector
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<JournalStreamSummary>> ListAsync(JournalTarget journal, CancellationToken cancellationToken)
    {
        await using var handle = await OpenAsync(journal, cancellationToken).ConfigureAwait(false);
        var streams = new SortedDictionary<string, (long Events, long Highest, long Last)>(StringComparer.Ordinal);
        await foreach (var e in handle.Read.CurrentAllEvents(0, cancellationToken).ConfigureAwait(false))
        {
            var s = streams.TryGetValue(e.PersistenceId, out var v) ? v : (0, 0, 0);
            streams[e.PersistenceId] = (s.Events + 1, Math.Max(s.Highest, e.SequenceNr), e.Timestamp);
        }

        return streams.Select(kv => new JournalStreamSummary(kv.Key, kv.Value.Events, kv.Value.Highest, Time(kv.Value.Last))).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JournalEntryView>> ShowAsync(JournalTarget journal, string account, long fromSequenceNr, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var handle = await OpenAsync(journal, cancellationToken).ConfigureAwait(false);
        var pid = long.TryParse(account, out var id) ? EngineIds.Account(id) : account;
        var list = new List<JournalEntryView>();
        await foreach (var e in handle.Read.CurrentEventsByPersistenceId(pid, Math.Max(1, fromSequenceNr), long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (list.Count >= limit)
            {
                break;
            }

            list.Add(View(e));
        }

        if (list.Count == 0 && fromSequenceNr <= 1)
        {
            throw new RunInputException($"journal {journal} has no events for '{account}' (persistence id {pid}); `crossmargin journal list` shows what it holds");
        }

        return list;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JournalEntryView> TailAsync(JournalTarget journal, int count, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var handle = await OpenAsync(journal, cancellationToken).ConfigureAwait(false);
        var last = new Queue<JournalEntryView>(Math.Max(1, count));
        long offset = 0;
        await foreach (var e in handle.Read.CurrentAllEvents(0, cancellationToken).ConfigureAwait(false))
        {
            offset = e.Offset;
            if (count <= 0)
            {
                continue;
            }

            if (last.Count == count)
            {
                last.Dequeue();
            }

            last.Enqueue(View(e));
        }

        foreach (var v in last)
        {
            yield return v;
        }

        if (follow)
        {
            await foreach (var e in handle.Read.AllEvents(offset, cancellationToken).ConfigureAwait(false))
            {
                yield return View(e);
            }
        }
    }

    /// <inheritdoc />
    public async Task<JournalStats> StatsAsync(JournalTarget journal, CancellationToken cancellationToken)
    {
        await using var handle = await OpenAsync(journal, cancellationToken).ConfigureAwait(false);
        long events = 0;
        long? first = null, lastTs = null;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var byType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await foreach (var e in handle.Read.CurrentAllEvents(0, cancellationToken).ConfigureAwait(false))
        {
            events++;
            first ??= e.Timestamp;
            lastTs = e.Timestamp;
            ids.Add(e.PersistenceId);
            var name = e.Event.GetType().Name;
            byType[name] = (byType.TryGetValue(name, out var n) ? n : 0) + 1;
        }

        long? size = journal.Kind == JournalKind.Sqlite && File.Exists(journal.Location) ? new FileInfo(journal.Location).Length : null;
        var snapshots = await SnapshotIndex.CountAsync(journal, cancellationToken).ConfigureAwait(false);
        return new JournalStats(events, ids.Count, snapshots, first is { } f ? Time(f) : null, lastTs is { } l ? Time(l) : null, byType,
            EngineSerialization.SchemaVersion, size);
    }

    private static async Task<JournalHandle> OpenAsync(JournalTarget journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        if (journal.Kind == JournalKind.Sqlite && !File.Exists(journal.Location))
        {
            throw new RunInputException($"journal {journal}: no such file");
        }

        if (journal.Kind == JournalKind.InMemory)
        {
            throw new RunInputException("journal inmem: an in-memory journal ends with the run that wrote it; inspect a sqlite: or postgres: journal");
        }

        return await JournalHandle.OpenAsync(journal, TimeProvider.System, cancellationToken, create: false).ConfigureAwait(false);
    }

    private static JournalEntryView View(EventEnvelope e) =>
        new(e.Offset, e.PersistenceId, e.SequenceNr, Time(e.Timestamp), e.Event.GetType().Name, Summary(e.Event));

    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static string Summary(object e)
    {
        if (e is Domain.Events.WaterfallSettled w)
        {
            return $"Round = {w.Round}, Role = {w.Role}, Balances = [{string.Join(", ", w.Balances.Select(b => $"{b.Asset} {b.Amount}"))}], "
                + $"Positions = [{string.Join(", ", w.Positions.Select(p => $"{p.InstrumentId} {p.Size}"))}]";
        }

        var text = e.ToString() ?? "";
        var brace = text.IndexOf('{', StringComparison.Ordinal);
        var body = brace < 0 ? text : text[(brace + 1)..].TrimEnd('}', ' ').Trim();
        return body.Length > 300 ? body[..300] + "…" : body;
    }
}
