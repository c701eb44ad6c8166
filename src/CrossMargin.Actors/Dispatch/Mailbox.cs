namespace CrossMargin.Actors;

/// <summary>A message with its sender, as queued or stashed.</summary>
internal readonly record struct Envelope(object Message, IActorRef? Sender);

/// <summary>
/// Lock-free multi-producer single-consumer FIFO (Vyukov's intrusive queue). One node per message is the only
/// allocation; an empty queue costs one stub node. Producers: any thread. Consumer: the actor's turn only.
/// </summary>
internal struct MpscQueue
{
    private Node _head; // consumer side; the stub
    private Node _tail; // producer side

    public static MpscQueue Create()
    {
        var stub = new Node();
        return new MpscQueue { _head = stub, _tail = stub };
    }

    public void Enqueue(object message, IActorRef? sender)
    {
        var node = new Node { Message = message, Sender = sender };
        var prev = Interlocked.Exchange(ref _tail, node);
        Volatile.Write(ref prev.Next, node);
    }

    public bool TryDequeue(out Envelope envelope)
    {
        var next = Volatile.Read(ref _head.Next);
        if (next == null)
        {
            envelope = default;
            return false;
        }
        envelope = new Envelope(next.Message!, next.Sender);
        next.Message = null;
        next.Sender = null;
        // Unlink the dead stub: if it was promoted to an older GC generation, its Next link would
        // keep every later node alive and promote them all (measured: most gen0 GCs became gen1).
        // Safe: the one producer that wrote old.Next did so before we could read it.
        var old = _head;
        _head = next;
        old.Next = null;
        return true;
    }

    public readonly bool HasMessages => Volatile.Read(ref _head.Next) != null;

    private sealed class Node
    {
        public object? Message;
        public IActorRef? Sender;
        public Node? Next;
    }
}
