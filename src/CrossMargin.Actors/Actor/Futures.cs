namespace CrossMargin.Actors;

/// <summary><c>Ask</c>: request-reply through a temporary ref.</summary>
public static class Futures
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary ref as sender and completes with the first reply.
    /// A reply of type <typeparamref name="T"/> completes the task; <see cref="Status.Failure"/> faults it with its cause;
    /// another type faults it with <see cref="ArgumentException"/>. An exception inside the target does NOT fault it.
    /// No reply within <paramref name="timeout"/> (default <c>crossmargin.actor.ask-timeout</c>, infinite) faults it with
    /// <see cref="AskTimeoutException"/> naming the target; an already-terminated target, or a question that becomes a dead
    /// letter (target stopped meanwhile, bounded mailbox full), faults it at once with <see cref="AskTimeoutException"/>.
    /// </summary>
    public static Task<T> Ask<T>(this ICanTell target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        var path = (target as IActorRef)?.Path.ToString() ?? target.ToString();
        if (target is InternalActorRef { IsTerminated: true })
            return Task.FromException<T>(new AskTimeoutException($"Recipient [{path}] had already been terminated. Message type: {message.GetType().Name}"));
        var system = SystemOf(target);
        var effective = timeout ?? system?.Settings.AskTimeout;
        var promise = new PromiseActorRef<T>(system?.NewTempPath() ?? ActorPath.Root("temp").Child("ask"));
        if (effective is { } t && t != Timeout.InfiniteTimeSpan)
        {
            if (t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), t, "Ask timeout must be positive");
            var scheduler = system?.Scheduler.Advanced ?? new TimeProviderScheduler(TimeProvider.System);
            var timer = scheduler.ScheduleOnce(t, () => promise.Fail(new AskTimeoutException(
                $"Ask timed out on [{path}] after [{t.TotalMilliseconds} ms]. Message type: {message.GetType().Name}")));
            promise.Task.ContinueWith(static (_, s) => ((ICancelable)s!).Cancel(), timer, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        if (cancellationToken.CanBeCanceled)
            cancellationToken.Register(() => promise.Cancel(cancellationToken));
        target.Tell(message, promise);
        return promise.Task;
    }

    /// <summary>Ask for any reply type (only <see cref="Status.Failure"/> faults).</summary>
    public static Task<object> Ask(this ICanTell target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Ask<object>(target, message, timeout, cancellationToken);

    private static ActorSystem? SystemOf(ICanTell target) => target switch
    {
        LocalActorRef l => l.Cell.System,
        FunctionRef f => f.System,
        _ => null,
    };

    private sealed class PromiseActorRef<T>(ActorPath path) : InternalActorRef, IAskPromise
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _tcs.Task;

        public override ActorPath Path { get; } = path;

        public override bool IsTerminated => _tcs.Task.IsCompleted;

        public override void Tell(object message, IActorRef? sender)
        {
            switch (message)
            {
                case Status.Failure f when typeof(T) != typeof(Status.Failure):
                    _tcs.TrySetException(f.Cause);
                    break;
                case T reply:
                    _tcs.TrySetResult(reply);
                    break;
                default:
                    _tcs.TrySetException(new ArgumentException(
                        $"Received message of type [{message.GetType()}] - Ask expected message of type [{typeof(T)}]"));
                    break;
            }
        }

        public void Fail(Exception ex) => _tcs.TrySetException(ex);

        public void Undelivered(DeadLetter letter) => _tcs.TrySetException(new AskTimeoutException(
            $"Recipient [{letter.Recipient.Path}] did not receive the message (it had terminated or its mailbox was full). Message type: {letter.Message.GetType().Name}"));

        public void Cancel(CancellationToken token) => _tcs.TrySetCanceled(token);

        internal override void SendSystemMessage(SystemMessage message)
        {
            if (message is Watch w && w.Watcher is InternalActorRef watcher && IsTerminated)
                watcher.SendSystemMessage(new DeathWatchNotification(this));
        }
    }
}

/// <summary>An Ask's temporary ref: fails its task at once when the asked message becomes a dead letter.</summary>
internal interface IAskPromise
{
    void Undelivered(DeadLetter letter);
}
