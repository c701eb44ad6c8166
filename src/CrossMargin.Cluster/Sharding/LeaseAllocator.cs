using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Membership;
using Serilog;

namespace CrossMargin.Cluster.Sharding;

/// <summary>
/// The machinery shared by <see cref="ShardAllocator"/> and <see cref="SingletonAllocator"/>: over a fixed, ordered
/// list of resources, it acquires this node's fair share, renews what it holds, declares leases lost when the database
/// refuses a renew or the local deadline passes, hands off what is outside its share, and raises the acquired/lost
/// callbacks — one at a time per resource, in order, each awaited.
/// </summary>
internal sealed class LeaseAllocator
{
    private readonly IReadOnlyList<string> _resources;
    private readonly ClusterMembership _membership;
    private readonly LeaseManager _leases;
    private readonly TimeSpan _renewInterval;
    private readonly TimeSpan _rebalanceInterval;
    private readonly TimeSpan _watchInterval;
    private readonly Func<int, Lease, CancellationToken, Task> _acquired;
    private readonly Func<int, Lease, LeaseLossReason, CancellationToken, Task> _lost;
    private readonly ILogger _log;
    private readonly object _gate = new();
    private readonly Slot[] _slots;
    private readonly SemaphoreSlim _rebalanceGate = new(1, 1);
    private CancellationTokenSource? _rebalanceStop;
    private CancellationTokenSource? _keepStop;
    private Task _rebalanceLoop = Task.CompletedTask;
    private Task _keepLoops = Task.CompletedTask;
    private bool _leaving;
    private string _previousMembers = string.Empty;

    public LeaseAllocator(
        IReadOnlyList<string> resources,
        ClusterMembership membership,
        LeaseManager leases,
        TimeSpan renewInterval,
        TimeSpan rebalanceInterval,
        Func<int, Lease, CancellationToken, Task> acquired,
        Func<int, Lease, LeaseLossReason, CancellationToken, Task> lost,
        ILogger log)
    {
        _resources = resources;
        _membership = membership;
        _leases = leases;
        _renewInterval = renewInterval;
        _rebalanceInterval = rebalanceInterval;
        _acquired = acquired;
        _lost = lost;
        _log = log;
        _slots = resources.Select(r => new Slot(r)).ToArray();

        // The deadline watch must notice a passed deadline well within the stop margin.
        var watch = TimeSpan.FromTicks(leases.StopMargin.Ticks / 4);
        _watchInterval = watch < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : watch > TimeSpan.FromMilliseconds(250) ? TimeSpan.FromMilliseconds(250) : watch;
    }

    public IReadOnlyList<string> Resources => _resources;

    /// <summary>Indexes of resources held now (acquired and not lost), ascending.</summary>
    public IReadOnlyList<int> HeldIndexes
    {
        get
        {
            lock (_gate)
            {
                return Enumerable.Range(0, _slots.Length).Where(i => _slots[i].Current is { IsLost: false }).ToArray();
            }
        }
    }

    public Lease? LeaseAt(int index)
    {
        lock (_gate)
        {
            return _slots[index].Current is { IsLost: false } lease ? lease : null;
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            if (_keepStop is not null)
            {
                return;
            }

            _keepStop = new CancellationTokenSource();
            _rebalanceStop = new CancellationTokenSource();
            var keep = _keepStop.Token;
            var rebalance = _rebalanceStop.Token;
            _keepLoops = Task.WhenAll(Task.Run(() => RenewLoopAsync(keep), CancellationToken.None), Task.Run(() => WatchLoopAsync(keep), CancellationToken.None));
            _rebalanceLoop = Task.Run(() => RebalanceLoopAsync(rebalance), CancellationToken.None);
        }
    }

    /// <summary>One allocation pass: read live members, acquire free leases of the share, hand off the rest.</summary>
    public async Task RebalanceOnceAsync(CancellationToken cancellationToken)
    {
        await _rebalanceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _leaving))
            {
                return;
            }

            var members = await _membership.LiveMemberNamesAsync(cancellationToken).ConfigureAwait(false);
            if (!members.Contains(_membership.Node, StringComparer.Ordinal))
            {
                // Not seen live (not joined, leaving, or our own heartbeat is stale): take nothing new, keep what we hold.
                return;
            }

            var share = ShardMap.FairShare(_resources.Count, members, _membership.Node).ToHashSet();

            // Hand off only when two passes in a row saw the same members: a member flapping for one pass (a late
            // heartbeat) must not shuffle every shard. Acquiring needs no such care: it only takes free or expired leases.
            var memberKey = string.Join('\n', members);
            var stable = memberKey == _previousMembers;
            _previousMembers = memberKey;
            for (var i = 0; i < _slots.Length; i++)
            {
                var slot = _slots[i];
                bool held;
                lock (_gate)
                {
                    held = slot.Current is not null;
                }

                if (share.Contains(i) && !held)
                {
                    var lease = await _leases.TryAcquireAsync(slot.Resource, cancellationToken).ConfigureAwait(false);
                    if (lease is not null)
                    {
                        OnAcquired(i, lease);
                    }
                }
                else if (!share.Contains(i) && held && stable)
                {
                    // Its rightful owner is a live member (the share is computed over live members only): hand it off.
                    BeginHandoff(i, LeaseLossReason.Handoff);
                }
            }
        }
        finally
        {
            _rebalanceGate.Release();
        }
    }

    /// <summary>Renews every held lease once; declares the refused ones lost.</summary>
    public async Task RenewOnceAsync(CancellationToken cancellationToken)
    {
        Lease[] held;
        lock (_gate)
        {
            held = _slots.Select(s => s.Current).OfType<Lease>().Where(l => !l.IsLost).ToArray();
        }

        if (held.Length == 0)
        {
            return;
        }

        var refused = await _leases.RenewAllAsync(held, cancellationToken).ConfigureAwait(false);
        foreach (var lease in refused)
        {
            DeclareLost(lease, LeaseLossReason.RenewRefused);
        }
    }

    /// <summary>Declares lost every held lease whose must-stop-by deadline has passed.</summary>
    public void CheckDeadlines()
    {
        Lease[] held;
        lock (_gate)
        {
            held = _slots.Select(s => s.Current).OfType<Lease>().Where(l => !l.IsLost).ToArray();
        }

        foreach (var lease in held)
        {
            if (lease.IsPastDeadline)
            {
                DeclareLost(lease, LeaseLossReason.DeadlinePassed);
            }
        }
    }

    /// <summary>Stops taking leases, hands every held one off (callback, then release) and stops renewing.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _leaving, true);
        await StopRebalanceLoopAsync().ConfigureAwait(false);
        await _rebalanceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        _rebalanceGate.Release();
        for (var i = 0; i < _slots.Length; i++)
        {
            BeginHandoff(i, LeaseLossReason.Leaving);
        }

        await DrainAsync().ConfigureAwait(false);
        await StopKeepLoopsAsync().ConfigureAwait(false);
    }

    /// <summary>Stops every loop without callbacks or releases: the leases simply run out (tests simulate a crash with it).</summary>
    public async Task AbandonAsync()
    {
        Volatile.Write(ref _leaving, true);
        await StopRebalanceLoopAsync().ConfigureAwait(false);
        await StopKeepLoopsAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until every callback queued so far has run.</summary>
    public async Task DrainAsync()
    {
        Task[] tails;
        lock (_gate)
        {
            tails = _slots.Select(s => s.Tail).ToArray();
        }

        await Task.WhenAll(tails).ConfigureAwait(false);
    }

    private void OnAcquired(int index, Lease lease)
    {
        var slot = _slots[index];
        lock (_gate)
        {
            slot.Current = lease;
            slot.LossRaised = false;
            Enqueue(slot, ct => _acquired(index, lease, ct), "acquired", lease);
        }

        _log.Information("Acquired {Resource} epoch {Epoch}", lease.Resource, lease.Epoch);
    }

    private void BeginHandoff(int index, LeaseLossReason reason)
    {
        var slot = _slots[index];
        lock (_gate)
        {
            if (slot.Current is not { } lease || slot.LossRaised)
            {
                return;
            }

            slot.LossRaised = true;

            // Stop first (the actors may still write their last events under this epoch), then close the fence and release.
            Enqueue(slot, ct => _lost(index, lease, reason, ct), "lost", lease);
            Enqueue(
                slot,
                async ct =>
                {
                    await _leases.ReleaseAsync(lease, ct).ConfigureAwait(false);
                    Clear(slot, lease);
                    _log.Information("Released {Resource} epoch {Epoch} ({Reason})", lease.Resource, lease.Epoch, reason);
                },
                "release",
                lease);
        }
    }

    private void DeclareLost(Lease lease, LeaseLossReason reason)
    {
        // Close the fence at once: from here on this node's writes under the epoch are refused.
        _leases.MarkLost(lease);
        var index = IndexOf(lease.Resource);
        var slot = _slots[index];
        lock (_gate)
        {
            if (!ReferenceEquals(slot.Current, lease))
            {
                return;
            }

            if (slot.LossRaised)
            {
                // A handoff is already stopping it; its release will clear the slot.
                return;
            }

            slot.LossRaised = true;
            _log.Warning("Lost {Resource} epoch {Epoch}: {Reason}", lease.Resource, lease.Epoch, reason);
            Enqueue(slot, ct => _lost(index, lease, reason, ct), "lost", lease);
            Enqueue(
                slot,
                async ct =>
                {
                    if (reason == LeaseLossReason.DeadlinePassed)
                    {
                        // Best effort: free the row at once if it is still ours, so others need not wait for expiry.
                        try
                        {
                            await _leases.ReleaseAsync(lease, ct).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            _log.Debug("Release of lapsed {Resource} failed: {Error}", lease.Resource, e.Message);
                        }
                    }

                    Clear(slot, lease);
                },
                "clear",
                lease);
        }
    }

    private void Clear(Slot slot, Lease lease)
    {
        lock (_gate)
        {
            if (ReferenceEquals(slot.Current, lease))
            {
                slot.Current = null;
                slot.LossRaised = false;
            }
        }
    }

    private int IndexOf(string resource)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Resource == resource)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{resource} is not managed by this allocator");
    }

    /// <summary>Appends <paramref name="work"/> to the slot's callback chain (call under the gate).</summary>
    private void Enqueue(Slot slot, Func<CancellationToken, Task> work, string what, Lease lease)
    {
        slot.Tail = RunAfterAsync(slot.Tail, work, what, lease);
    }

    private async Task RunAfterAsync(Task previous, Func<CancellationToken, Task> work, string what, Lease lease)
    {
        await previous.ConfigureAwait(false);
        try
        {
            await work(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.Error(e, "The {What} step of {Resource} epoch {Epoch} failed", what, lease.Resource, lease.Epoch);
        }
    }

    private async Task RebalanceLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_rebalanceInterval);
        do
        {
            try
            {
                await RebalanceOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.Warning("Rebalance failed, retrying in {Interval}: {Error}", _rebalanceInterval, e.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
        while (await Tick(timer, cancellationToken).ConfigureAwait(false));
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_renewInterval);
        while (await Tick(timer, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

                // A renew that cannot finish within the ttl is useless: give up and let the deadline decide.
                bounded.CancelAfter(_leases.LeaseTtl);
                await RenewOnceAsync(bounded.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                _log.Warning("Lease renew failed, retrying in {Interval}: {Error}", _renewInterval, e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WatchLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_watchInterval);
        while (await Tick(timer, cancellationToken).ConfigureAwait(false))
        {
            CheckDeadlines();
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task StopRebalanceLoopAsync()
    {
        CancellationTokenSource? cts;
        lock (_gate)
        {
            cts = _rebalanceStop;
            _rebalanceStop = null;
        }

        if (cts is not null)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            await _rebalanceLoop.ConfigureAwait(false);
            cts.Dispose();
        }
    }

    private async Task StopKeepLoopsAsync()
    {
        CancellationTokenSource? cts;
        lock (_gate)
        {
            cts = _keepStop;
            _keepStop = null;
        }

        if (cts is not null)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            await _keepLoops.ConfigureAwait(false);
            cts.Dispose();
        }
    }

    private sealed class Slot(string resource)
    {
        public string Resource { get; } = resource;

        public Lease? Current { get; set; }

        /// <summary>True once a lost callback is queued for <see cref="Current"/>.</summary>
        public bool LossRaised { get; set; }

        public Task Tail { get; set; } = Task.CompletedTask;
    }
}
