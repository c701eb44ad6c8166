namespace CrossMargin.Actors;

/// <summary>
/// An actor whose behaviour is a list of typed handlers registered in the constructor (or inside <see cref="Become(Action)"/>).
/// The first matching handler wins; a failed predicate moves on to the next handler; <see cref="ReceiveAny"/> must be last.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private List<IHandler>? _configuring = new(4);
    private IHandler[]? _initialBuilt;

    /// <inheritdoc />
    protected sealed override bool Receive(object message)
    {
        var handlers = _initialBuilt ??= _configuring?.ToArray() ?? Array.Empty<IHandler>();
        return Match(handlers, message);
    }

    private static bool Match(IHandler[] handlers, object message)
    {
        foreach (var h in handlers)
            if (h.TryHandle(message)) return true;
        return false;
    }

    /// <summary>Freezes the constructor's handlers into the initial behaviour and frees the registration list.</summary>
    internal override void OnConstructed()
    {
        _initialBuilt ??= _configuring?.ToArray() ?? Array.Empty<IHandler>();
        _configuring = null;
    }

    private void Add(IHandler handler)
    {
        if (_configuring == null)
            throw new InvalidOperationException("Receive handlers can only be registered in the constructor or inside Become(...)/BecomeStacked(...).");
        if (_configuring.Count > 0 && _configuring[^1] is AnyHandler)
            throw new InvalidOperationException("ReceiveAny must be the last handler; no handler may be registered after it.");
        _configuring.Add(handler);
    }

    /// <summary>Handles messages of type <typeparamref name="T"/>.</summary>
    protected void Receive<T>(Action<T> handler) => Add(new Handler<T>(null, handler));

    /// <summary>Handles messages of type <typeparamref name="T"/> that satisfy <paramref name="predicate"/>.</summary>
    protected void Receive<T>(Predicate<T> predicate, Action<T> handler) => Add(new Handler<T>(predicate, handler));

    /// <summary>Handles messages of type <typeparamref name="T"/> that satisfy <paramref name="predicate"/> (predicate after handler).</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T> predicate) => Add(new Handler<T>(predicate, handler));

    /// <summary>Handles <typeparamref name="T"/>; the handler returns false to let later handlers try.</summary>
    protected void Receive<T>(Func<T, bool> handler) => Add(new FuncHandler<T>(handler));

    /// <summary>Handles <typeparamref name="T"/> asynchronously: no other message is processed until the task completes; a faulted task fails the actor.</summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? predicate = null)
    {
        var cell = Cell;
        Add(new Handler<T>(predicate, m => cell.RunAsync(() => handler(m))));
    }

    /// <summary>Handles every message; must be registered last.</summary>
    protected void ReceiveAny(Action<object> handler) => Add(new AnyHandler(handler));

    /// <summary>Handles every message asynchronously; must be registered last.</summary>
    protected void ReceiveAnyAsync(Func<object, Task> handler)
    {
        var cell = Cell;
        Add(new AnyHandler(m => cell.RunAsync(() => handler(m))));
    }

    /// <summary>Replaces the behaviour with the handlers registered by <paramref name="configure"/>.</summary>
    protected void Become(Action configure) => Become(Build(configure));

    /// <summary>Pushes the handlers registered by <paramref name="configure"/> as a new behaviour.</summary>
    protected void BecomeStacked(Action configure) => BecomeStacked(Build(configure));

    private Receive Build(Action configure)
    {
        _initialBuilt ??= _configuring?.ToArray() ?? Array.Empty<IHandler>();
        var saved = _configuring;
        _configuring = new List<IHandler>(4);
        try
        {
            configure();
            var handlers = _configuring.ToArray();
            return m => Match(handlers, m);
        }
        finally
        {
            _configuring = saved;
        }
    }

    private interface IHandler
    {
        bool TryHandle(object message);
    }

    private sealed class Handler<T>(Predicate<T>? predicate, Action<T> action) : IHandler
    {
        public bool TryHandle(object message)
        {
            if (message is not T t || (predicate != null && !predicate(t))) return false;
            action(t);
            return true;
        }
    }

    private sealed class FuncHandler<T>(Func<T, bool> handler) : IHandler
    {
        public bool TryHandle(object message) => message is T t && handler(t);
    }

    private sealed class AnyHandler(Action<object> action) : IHandler
    {
        public bool TryHandle(object message)
        {
            action(message);
            return true;
        }
    }
}
