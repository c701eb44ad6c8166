namespace CrossMargin.Actors;

/// <summary>Runs actor turns. One instance per dispatcher id per system.</summary>
internal abstract class MessageDispatcher(int throughput)
{
    /// <summary>User messages per turn before the actor yields its thread.</summary>
    public int Throughput { get; } = throughput;

    /// <summary>Arranges for one turn of <paramref name="cell"/>; called once per idle→scheduled transition.</summary>
    public abstract void Schedule(ActorCell cell);
}

/// <summary>The default dispatcher: turns run on the .NET thread pool (no allocation per schedule).</summary>
/// <remarks>
/// An actor woken by a message sent from inside another actor's turn goes to the current worker's local queue (it is
/// likely to find its message in cache); every other schedule, including an actor re-queuing itself after a full
/// turn, goes to the global FIFO queue so a busy actor cannot starve the others. Set
/// <c>CROSSMARGIN_ACTOR_GLOBAL_QUEUE=1</c> to always use the global queue.
/// </remarks>
internal sealed class ThreadPoolDispatcher(int throughput) : MessageDispatcher(throughput)
{
    private static readonly bool s_globalOnly = Environment.GetEnvironmentVariable("CROSSMARGIN_ACTOR_GLOBAL_QUEUE") == "1";

    public override void Schedule(ActorCell cell) =>
        ThreadPool.UnsafeQueueUserWorkItem(cell, preferLocal: !s_globalOnly && ActorCell.Current != null);
}

/// <summary>
/// Runs every actor of a system on one caller-driven loop, in one total order: actors are served FIFO in the order
/// they became ready, each for up to <c>throughput</c> messages. With a virtual clock, same inputs give the same order.
/// </summary>
internal sealed class DeterministicDispatcher(int throughput) : MessageDispatcher(throughput)
{
    private readonly Queue<ActorCell> _ready = new();
    [ThreadStatic] private static DeterministicDispatcher? t_running;

    public bool IsRunningOnThisThread => t_running == this;

    public override void Schedule(ActorCell cell)
    {
        lock (_ready) _ready.Enqueue(cell);
    }

    /// <summary>Runs turns until no actor has work; returns the number of turns run.</summary>
    public long RunUntilIdle()
    {
        if (t_running == this) throw new IllegalStateException("RunUntilIdle/RunFor must not be called from inside an actor of the same deterministic system.");
        t_running = this;
        // The caller's thread may carry a SynchronizationContext (xunit, UI). Inside actor turns an `await` would capture
        // it instead of the actor's task scheduler and resume the handler on that context, outside the actor and outside
        // this loop: a data race and a source of non-determinism. Turns therefore run without one.
        var callerContext = SynchronizationContext.Current;
        if (callerContext != null) SynchronizationContext.SetSynchronizationContext(null);
        long turns = 0;
        try
        {
            while (true)
            {
                ActorCell? cell;
                lock (_ready)
                {
                    if (!_ready.TryDequeue(out cell)) return turns;
                }
                cell.Run(Throughput);
                turns++;
            }
        }
        finally
        {
            t_running = null;
            if (callerContext != null) SynchronizationContext.SetSynchronizationContext(callerContext);
        }
    }
}
