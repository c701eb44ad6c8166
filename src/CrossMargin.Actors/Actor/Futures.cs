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
            promise.SetCancellation(cancellationToken.Register(() => promise.Cancel(cancellationToken)));
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

    /// <remarks>
    /// Completion (reply, failure, timeout, cancellation, undelivered question) happens once: it disposes the token
    /// registration, so a long-lived token does not keep finished asks alive, and sends <see cref="Terminated"/> to
    /// whoever watches the temporary ref.
    /// </remarks>
    private sealed class PromiseActorRef<T>(ActorPath path) : InternalActorRef, IAskPromise
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly RefWatchers _watchers = new();
        private CancellationTokenRegistration _registration; // guarded by _watchers
        private bool _completed;                               // guarded by _watchers

        public Task<T> Task => _tcs.Task;

        public override ActorPath Path { get; } = path;

        public override bool IsTerminated => _tcs.Task.IsCompleted;

        public override void Tell(object message, IActorRef? sender)
        {
            var done = message switch
            {
                Status.Failure f when typeof(T) != typeof(Status.Failure) => _tcs.TrySetException(f.Cause),
                T reply => _tcs.TrySetResult(reply),
                _ => _tcs.TrySetException(new ArgumentException(
                    $"Received message of type [{message.GetType()}] - Ask expected message of type [{typeof(T)}]")),
            };
            if (done) OnCompleted();
        }

        public void Fail(Exception ex)
        {
            if (_tcs.TrySetException(ex)) OnCompleted();
        }

        public void Undelivered(DeadLetter letter) => Fail(new AskTimeoutException(
            $"Recipient [{letter.Recipient.Path}] did not receive the message (it had terminated or its mailbox was full). Message type: {letter.Message.GetType().Name}"));

        public void Cancel(CancellationToken token)
        {
            if (_tcs.TrySetCanceled(token)) OnCompleted();
        }

        /// <summary>Keeps the token registration to dispose on completion (at once if already completed).</summary>
        public void SetCancellation(CancellationTokenRegistration registration)
        {
            lock (_watchers)
            {
                if (!_completed)
                {
                    _registration = registration;
                    return;
                }
            }
            registration.Dispose();
        }

        private void OnCompleted()
        {
            CancellationTokenRegistration registration;
            lock (_watchers)
            {
                _completed = true;
                registration = _registration;
                _registration = default;
            }
            registration.Dispose(); // from inside the token's own callback this returns at once (no self-wait)
            _watchers.Terminate(this);
        }

        internal override void SendSystemMessage(SystemMessage message) => _watchers.Handle(this, message);
    }
}

/// <summary>An Ask's temporary ref: fails its task at once when the asked message becomes a dead letter.</summary>
internal interface IAskPromise
{
    void Undelivered(DeadLetter letter);
}
