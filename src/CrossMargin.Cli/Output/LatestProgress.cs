namespace CrossMargin.Cli.Output;

/// <summary>
/// An <see cref="IProgress{T}"/> that keeps only the latest value, for a display that samples it on its
/// own schedule. Reports may come from any thread; reads see the latest complete value.
/// </summary>
internal sealed class LatestProgress<T> : IProgress<T>
    where T : struct
{
    private readonly Lock _gate = new();
    private readonly Action<T>? _onReport;
    private T? _latest;

    /// <summary>Creates the sink; <paramref name="onReport"/> (optional) runs inside the report call, under the sink's lock.</summary>
    public LatestProgress(Action<T>? onReport = null) => _onReport = onReport;

    /// <summary>The latest value reported, or null before the first report.</summary>
    public T? Latest
    {
        get
        {
            lock (_gate) return _latest;
        }
    }

    /// <inheritdoc />
    public void Report(T value)
    {
        lock (_gate)
        {
            _latest = value;
            _onReport?.Invoke(value);
        }
    }
}
