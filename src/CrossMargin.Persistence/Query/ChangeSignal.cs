namespace CrossMargin.Persistence.Query;

/// <summary>
/// A wake-up for live queries: the journal pulses it after each committed batch so readers in the same process
/// re-query at once instead of waiting for the refresh interval. Thread-safe.
/// </summary>
public sealed class ChangeSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>A task that completes at the next <see cref="Pulse"/>.</summary>
    public Task NextChange => Volatile.Read(ref _next).Task;

    /// <summary>Wakes everyone waiting on the current <see cref="NextChange"/>.</summary>
    public void Pulse()
    {
        var previous = Interlocked.Exchange(ref _next, NewSource());
        previous.TrySetResult();
    }

    /// <summary>Waits for <paramref name="change"/> or <paramref name="timeout"/>, whichever is first.</summary>
    public static async Task WaitAsync(Task change, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            await change.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The refresh interval elapsed: poll again, another process may have written.
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
