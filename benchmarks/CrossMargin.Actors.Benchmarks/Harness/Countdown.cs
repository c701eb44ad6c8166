namespace CrossMargin.Actors.Benchmarks.Harness;

/// <summary>
/// Completion signal shared by every rig: <see cref="Signal"/> from any thread; <see cref="Task"/> completes when the
/// count reaches zero. Benchmarks wait on this, never on a sleep.
/// </summary>
public sealed class Countdown
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;

    public Countdown(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _remaining = count;
    }

    public Task Task => _done.Task;

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0) _done.TrySetResult();
    }

    /// <summary>Waits for completion, failing loudly instead of hanging a benchmark run forever.</summary>
    public async Task WaitAsync(TimeSpan timeout, string what)
    {
        try
        {
            await _done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what} did not complete within {timeout.TotalSeconds:0} s ({Volatile.Read(ref _remaining)} signals missing).");
        }
    }
}
