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
/// likely to find its message in cache), but only for <see cref="MaxConsecutiveLocal"/> such schedules in a row on that
/// worker; the next one goes to the global FIFO queue. A worker takes global work only when its local queue is empty,
/// so without that bound a ping-pong chain (each actor waking the other from its turn) would hold the worker forever
/// and starve what waits in the global queue. Every other schedule, including an actor re-queuing itself after a full
/// turn, goes to the global queue. <c>CROSSMARGIN_ACTOR_GLOBAL_QUEUE=1</c> always uses the global queue;
/// <c>CROSSMARGIN_ACTOR_MAX_LOCAL_SCHEDULES=n</c> changes the bound (for measurements).
/// </remarks>
internal sealed class ThreadPoolDispatcher(int throughput) : MessageDispatcher(throughput)
{
    /// <summary>Default bound on consecutive local-queue schedules per worker thread.</summary>
    internal const int DefaultMaxConsecutiveLocal = 8;

    private static readonly bool s_globalOnly = Environment.GetEnvironmentVariable("CROSSMARGIN_ACTOR_GLOBAL_QUEUE") == "1";

    private static readonly int s_maxLocal =
        int.TryParse(Environment.GetEnvironmentVariable("CROSSMARGIN_ACTOR_MAX_LOCAL_SCHEDULES"), out var n) && n >= 0 ? n : DefaultMaxConsecutiveLocal;

    [ThreadStatic] private static int t_localStreak;

    /// <summary>The bound in effect (0 when the global queue is forced).</summary>
    internal static int MaxConsecutiveLocal => s_globalOnly ? 0 : s_maxLocal;

    public override void Schedule(ActorCell cell) =>
        ThreadPool.UnsafeQueueUserWorkItem(cell, preferLocal: PreferLocal(ActorCell.Current != null, MaxConsecutiveLocal, ref t_localStreak));

    /// <summary>
    /// The queue choice for one schedule: local only from inside a turn and for at most <paramref name="maxLocal"/>
    /// schedules in a row (<paramref name="streak"/> is the calling worker's count); then one global schedule resets it.
    /// </summary>
    internal static bool PreferLocal(bool insideTurn, int maxLocal, ref int streak)
    {
        if (!insideTurn) return false;
        if (streak >= maxLocal)
        {
            streak = 0;
            return false;
        }
        streak++;
        return true;
    }
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
