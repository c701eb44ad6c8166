namespace CrossMargin.Actors;

/// <summary>
/// System-wide publish/subscribe by type: a subscriber to a type receives every published event assignable to it
/// (subtypes and interfaces included). Thread-safe; publishing is a Tell to each matching subscriber.
/// Terminated subscribers are removed when found.
/// </summary>
public sealed class EventStream
{
    private readonly object _gate = new();
    private readonly Serilog.ILogger _log;

    internal EventStream(Serilog.ILogger log) => _log = log;
    private (Type Channel, IActorRef Subscriber)[] _subscriptions = Array.Empty<(Type, IActorRef)>();

    /// <summary>Subscribes <paramref name="subscriber"/> to <paramref name="channel"/>; false when already subscribed to it.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_gate)
        {
            if (_subscriptions.Any(s => s.Channel == channel && s.Subscriber.Equals(subscriber))) return false;
            _subscriptions = _subscriptions.Append((channel, subscriber)).ToArray();
            return true;
        }
    }

    /// <summary>Removes one subscription; false when there was none.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        lock (_gate)
        {
            var before = _subscriptions.Length;
            _subscriptions = _subscriptions.Where(s => !(s.Channel == channel && s.Subscriber.Equals(subscriber))).ToArray();
            return _subscriptions.Length != before;
        }
    }

    /// <summary>Removes all subscriptions of <paramref name="subscriber"/>.</summary>
    public bool Unsubscribe(IActorRef subscriber)
    {
        lock (_gate)
        {
            var before = _subscriptions.Length;
            _subscriptions = _subscriptions.Where(s => !s.Subscriber.Equals(subscriber)).ToArray();
            return _subscriptions.Length != before;
        }
    }

    /// <summary>Tells <paramref name="event"/> to every subscriber whose channel it is assignable to.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        foreach (var (channel, subscriber) in Volatile.Read(ref _subscriptions))
        {
            if (!channel.IsInstanceOfType(@event)) continue;
            if (subscriber is InternalActorRef { IsTerminated: true })
            {
                Unsubscribe(subscriber);
                continue;
            }
            try
            {
                subscriber.Tell(@event, null);
            }
            catch (Exception ex)
            {
                // A throwing FunctionRef callback must not break publishing to the others.
                _log.Error(ex, "Event stream subscriber {Subscriber} threw on {EventType}", subscriber.Path.ToString(), @event.GetType().Name);
            }
        }
    }
}
