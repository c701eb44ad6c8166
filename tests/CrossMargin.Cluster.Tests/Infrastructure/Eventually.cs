using System.Diagnostics;

namespace CrossMargin.Cluster.Tests.Infrastructure;

/// <summary>
/// Waits for a condition by polling it, with a generous upper bound that only a broken implementation reaches. The
/// condition is the synchronisation; no test asserts how long it took.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(20);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? patience = null)
    {
        var limit = patience ?? DefaultPatience;
        var watch = Stopwatch.StartNew();
        var last = await probe();
        while (!done(last))
        {
            if (watch.Elapsed > limit)
            {
                throw new Xunit.Sdk.XunitException($"still not {what} after {limit.TotalSeconds:0}s; last observed: {Describe(last)}");
            }

            // The poll period of the probe, not a synchronisation point: the condition decides.
            await Task.Delay(20);
            last = await probe();
        }

        return last;
    }

    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
        => UntilAsync(condition, ok => ok, what, patience);

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? patience = null)
        => UntilAsync(() => Task.FromResult(condition()), ok => ok, what, patience);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object?>()) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
