namespace CrossMargin.Actors;

/// <summary>Stash operations; see <see cref="IWithStash"/>.</summary>
public interface IStash
{
    /// <summary>Stashes the current message (with its sender). Stashing the same message twice throws <see cref="IllegalStateException"/>.</summary>
    void Stash();

    /// <summary>Returns the oldest stashed message to the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Returns all stashed messages to the front of the mailbox, in their original order.</summary>
    void UnstashAll();

    /// <summary>Returns the stashed messages matching <paramref name="predicate"/> to the front of the mailbox, in order; the others stay stashed.</summary>
    void UnstashAll(Func<object, bool> predicate);

    /// <summary>Drops all stashed messages and returns them (oldest first).</summary>
    IReadOnlyList<object> ClearStash();

    /// <summary>Number of stashed messages.</summary>
    int Count { get; }
}

/// <summary>
/// Implement on an actor to get a stash. The kernel sets <see cref="Stash"/> after the constructor and before
/// <c>PreStart</c> (do not use it in the constructor). Stashed messages survive a restart (they are unstashed before PreRestart).
/// </summary>
public interface IWithStash
{
    /// <summary>The stash; set by the kernel.</summary>
    IStash Stash { get; set; }
}

internal sealed class ActorStash(ActorCell cell) : IStash
{
    private readonly List<Envelope> _items = new();

    public int Count => _items.Count;

    public void Stash()
    {
        var current = cell.CurrentEnvelope ?? throw new IllegalStateException("Stash() must be called while processing a message.");
        if (cell.CurrentStashed) throw new IllegalStateException($"Can't stash the same message {current.Message} more than once.");
        cell.CurrentStashed = true;
        _items.Add(current);
    }

    public void Unstash()
    {
        if (_items.Count == 0) return;
        var first = _items[0];
        _items.RemoveAt(0);
        cell.Prepend(new[] { first });
    }

    public void UnstashAll()
    {
        if (_items.Count == 0) return;
        cell.Prepend(_items.ToArray());
        _items.Clear();
    }

    public void UnstashAll(Func<object, bool> predicate)
    {
        var take = _items.Where(e => predicate(e.Message)).ToArray();
        if (take.Length == 0) return;
        _items.RemoveAll(e => predicate(e.Message));
        cell.Prepend(take);
    }

    public IReadOnlyList<object> ClearStash()
    {
        var all = _items.Select(e => e.Message).ToList();
        _items.Clear();
        return all;
    }

    internal List<Envelope> Drain()
    {
        var all = _items.ToList();
        _items.Clear();
        return all;
    }
}
