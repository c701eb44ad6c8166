using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using CrossMargin.Actors.Benchmarks.Rigs;

namespace CrossMargin.Actors.Benchmarks.Harness;

/// <summary>What 100,000 idle receivers cost: managed heap and working-set growth, and the time to create them.</summary>
public sealed record IdleMemory(string Kind, int Count, long ManagedBytes, long WorkingSetBytes, TimeSpan SpawnTime)
{
    public double ManagedMbPer100K => ManagedBytes / 1048576.0 * 100_000 / Count;

    public double WorkingSetMbPer100K => WorkingSetBytes / 1048576.0 * 100_000 / Count;

    public double BytesPerReceiver => (double)ManagedBytes / Count;
}

/// <summary>
/// Measures idle memory in a fresh child process (this same program with <see cref="ChildFlag"/>), so the working
/// set is not inflated or hidden by heaps left over from other measurements.
/// </summary>
public static class IdleMemoryProbe
{
    public const string ChildFlag = "--probe-idle-memory";
    private const string ResultPrefix = "IDLE-MEMORY ";

    /// <summary>Runs the probe for <paramref name="kind"/> ("kernel" or "raw") in a child process and parses its answer.</summary>
    public static async Task<IdleMemory> MeasureInChildAsync(string kind, int count)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot locate this program to start the memory probe.");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in new[] { ChildFlag, kind, count.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(a);

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {self}.");
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync().WaitAsync(Timeouts.Setup).ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (child.ExitCode != 0 || line == null)
            throw new InvalidOperationException($"Idle-memory probe '{kind}' failed (exit {child.ExitCode}): {output}{await stderr.ConfigureAwait(false)}");
        var f = line[ResultPrefix.Length..].Split(' ');
        return new IdleMemory(f[0], int.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture),
            long.Parse(f[3], CultureInfo.InvariantCulture), TimeSpan.FromTicks(long.Parse(f[4], CultureInfo.InvariantCulture)));
    }

    /// <summary>The child side: builds <paramref name="count"/> idle receivers, measures, prints one result line.</summary>
    public static async Task<int> RunChildAsync(string kind, int count)
    {
        ActorSystem? system = null;
        if (kind == "kernel")
        {
            // The system itself and the JIT are not part of the per-actor cost: create and exercise them first.
            system = ActorSystem.Create("bench-idle");
            await using var warm = await KernelFanOut.CreateAsync(10, ActorSystem.Create("bench-warm")).ConfigureAwait(false);
            await warm.RunRoundAsync().ConfigureAwait(false);
        }
        else
        {
            await using var warm = new RawFanOut(10);
            await warm.RunRoundAsync().ConfigureAwait(false);
        }

        var (heap0, ws0) = Snapshot();
        var clock = Stopwatch.StartNew();
        IAsyncDisposable rig = kind switch
        {
            "kernel" => await KernelFanOut.CreateAsync(count, system).ConfigureAwait(false),
            "raw" => new RawFanOut(count),
            _ => throw new ArgumentException($"{ChildFlag}: kind must be 'kernel' or 'raw', was '{kind}'"),
        };
        var spawn = clock.Elapsed;
        var (heap1, ws1) = Snapshot();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultPrefix}{kind} {count} {heap1 - heap0} {ws1 - ws0} {spawn.Ticks}"));
        GC.KeepAlive(rig);
        await rig.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    private static (long Heap, long WorkingSet) Snapshot()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var me = Process.GetCurrentProcess();
        me.Refresh();
        return (heap, me.WorkingSet64);
    }
}
