using CrossMargin.Persistence.Journal;

namespace CrossMargin.Persistence.Testing;

/// <summary>
/// Wraps a journal and fails, rejects or holds back writes by rule, for tests of failure handling.
/// Rules are checked in the order added; the first whose predicate matches any event of an atomic write applies.
/// </summary>
/// <remarks>Thread-safe. Rules can be added or cleared while writes are in flight.</remarks>
public sealed class FaultInjectingJournal : IJournal
{
    private readonly IJournal _inner;
    private readonly object _gate = new();
    private readonly List<Rule> _rules = new();
    private readonly List<Func<string, bool>> _replayFailures = new();
    private readonly List<(Func<string, bool> When, Task Release)> _replayDelays = new();

    /// <summary>Wraps <paramref name="inner"/>; the wrapper owns it and disposes it.</summary>
    public FaultInjectingJournal(IJournal inner)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    }

    /// <summary>The wrapped journal.</summary>
    public IJournal Inner => _inner;

    /// <summary>Writes with a matching event fail (storage failure: the writer must stop); nothing of them is stored.</summary>
    public FaultInjectingJournal FailWrites(Func<PersistentRepr, bool> when, Exception? error = null)
        => Add(new Rule(when, RuleKind.Fail, error ?? new InvalidOperationException("injected journal write failure"), null));

    /// <summary>Writes with a matching event are rejected (as by a serialization error); nothing of them is stored.</summary>
    public FaultInjectingJournal RejectWrites(Func<PersistentRepr, bool> when, Exception? error = null)
        => Add(new Rule(when, RuleKind.Reject, error ?? new InvalidOperationException("injected journal write rejection"), null));

    /// <summary>Writes with a matching event are held until <paramref name="release"/> completes, then written.</summary>
    public FaultInjectingJournal DelayWrites(Func<PersistentRepr, bool> when, Task release)
        => Add(new Rule(when, RuleKind.Delay, null, release ?? throw new ArgumentNullException(nameof(release))));

    /// <summary>Replays of persistence ids matching <paramref name="when"/> throw.</summary>
    public FaultInjectingJournal FailReplays(Func<string, bool> when)
    {
        lock (_gate)
        {
            _replayFailures.Add(when);
        }

        return this;
    }

    /// <summary>Replays of persistence ids matching <paramref name="when"/> start only once <paramref name="release"/> completes.</summary>
    public FaultInjectingJournal DelayReplays(Func<string, bool> when, Task release)
    {
        ArgumentNullException.ThrowIfNull(when);
        ArgumentNullException.ThrowIfNull(release);
        lock (_gate)
        {
            _replayDelays.Add((when, release));
        }

        return this;
    }

    /// <summary>Removes every rule.</summary>
    public void ClearRules()
    {
        lock (_gate)
        {
            _rules.Clear();
            _replayFailures.Clear();
            _replayDelays.Clear();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WriteResult>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var results = new WriteResult[writes.Count];
        var passed = new List<(int Index, AtomicWrite Write)>();
        var delays = new List<Task>();
        for (var i = 0; i < writes.Count; i++)
        {
            var rule = Match(writes[i]);
            switch (rule?.Kind)
            {
                case RuleKind.Fail:
                    results[i] = WriteResult.Failed(rule.Error!);
                    break;
                case RuleKind.Reject:
                    results[i] = WriteResult.Rejected(rule.Error!);
                    break;
                case RuleKind.Delay:
                    delays.Add(rule.Release!);
                    passed.Add((i, writes[i]));
                    break;
                default:
                    passed.Add((i, writes[i]));
                    break;
            }
        }

        await Task.WhenAll(delays).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (passed.Count > 0)
        {
            var inner = await _inner.WriteMessagesAsync(passed.Select(p => p.Write).ToList(), cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < passed.Count; k++)
            {
                results[passed[k].Index] = inner[k];
            }
        }

        return results;
    }

    /// <inheritdoc />
    public async Task<long> ReplayAndReadHighestAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default)
    {
        await BeforeReplayAsync(persistenceId, cancellationToken).ConfigureAwait(false);
        return await _inner.ReplayAndReadHighestAsync(persistenceId, fromSequenceNr, toSequenceNr, max, onEvent, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default)
    {
        await BeforeReplayAsync(persistenceId, cancellationToken).ConfigureAwait(false);
        await _inner.ReplayMessagesAsync(persistenceId, fromSequenceNr, toSequenceNr, max, onEvent, cancellationToken).ConfigureAwait(false);
    }

    private async Task BeforeReplayAsync(string persistenceId, CancellationToken cancellationToken)
    {
        Task[] delays;
        lock (_gate)
        {
            if (_replayFailures.Any(f => f(persistenceId)))
            {
                throw new InvalidOperationException($"injected replay failure for {persistenceId}");
            }

            delays = _replayDelays.Where(d => d.When(persistenceId)).Select(d => d.Release).ToArray();
        }

        await Task.WhenAll(delays).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default)
        => _inner.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);

    /// <inheritdoc />
    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
        => _inner.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private FaultInjectingJournal Add(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule.When);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return this;
    }

    private Rule? Match(AtomicWrite write)
    {
        lock (_gate)
        {
            return _rules.FirstOrDefault(r => write.Events.Any(r.When));
        }
    }

    private enum RuleKind
    {
        Fail,
        Reject,
        Delay,
    }

    private sealed record Rule(Func<PersistentRepr, bool> When, RuleKind Kind, Exception? Error, Task? Release);
}
