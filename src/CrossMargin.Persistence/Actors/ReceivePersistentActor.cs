namespace CrossMargin.Persistence.Actors;

/// <summary>
/// A <see cref="PersistentActor"/> configured with typed handlers in its constructor: <c>Recover&lt;T&gt;</c> for
/// recovery and <c>Command&lt;T&gt;</c> for commands, matched in registration order.
/// </summary>
public abstract class ReceivePersistentActor : PersistentActor
{
    private readonly List<Func<object, bool>> _recover = new();
    private readonly List<Func<object, bool>> _commands = new();

    /// <summary>Handles recovered <typeparamref name="T"/> (events, <see cref="SnapshotOffer"/>, <see cref="RecoveryCompleted"/>).</summary>
    protected void Recover<T>(Action<T> handler, Predicate<T>? predicate = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _recover.Add(m => Match(m, handler, predicate));
    }

    /// <summary>Handles any recovered message not matched earlier.</summary>
    protected void RecoverAny(Action<object> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _recover.Add(m =>
        {
            handler(m);
            return true;
        });
    }

    /// <summary>Handles commands of type <typeparamref name="T"/> (matching <paramref name="predicate"/> when given).</summary>
    protected void Command<T>(Action<T> handler, Predicate<T>? predicate = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _commands.Add(m => Match(m, handler, predicate));
    }

    /// <summary>Handles commands of type <typeparamref name="T"/>; returning false leaves the command to later handlers.</summary>
    protected void Command<T>(Func<T, bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _commands.Add(m => m is T t && handler(t));
    }

    /// <summary>Handles any command not matched earlier.</summary>
    protected void CommandAny(Action<object> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _commands.Add(m =>
        {
            handler(m);
            return true;
        });
    }

    /// <inheritdoc />
    protected sealed override bool ReceiveRecover(object message)
    {
        foreach (var handler in _recover)
        {
            if (handler(message))
            {
                return true;
            }
        }

        return message is RecoveryCompleted or SnapshotOffer;
    }

    /// <inheritdoc />
    protected sealed override bool ReceiveCommand(object message)
    {
        foreach (var handler in _commands)
        {
            if (handler(message))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Match<T>(object message, Action<T> handler, Predicate<T>? predicate)
    {
        if (message is T t && (predicate is null || predicate(t)))
        {
            handler(t);
            return true;
        }

        return false;
    }
}
