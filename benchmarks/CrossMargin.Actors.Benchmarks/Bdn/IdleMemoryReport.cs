using System.Globalization;
using System.Text;
using CrossMargin.Actors.Benchmarks.Harness;

namespace CrossMargin.Actors.Benchmarks.Bdn;

/// <summary>
/// Idle memory is not a timing, so BenchmarkDotNet does not measure it; the BenchmarkDotNet mode runs the same
/// child-process probe as the quick mode and writes its table beside the BenchmarkDotNet reports.
/// </summary>
public static class IdleMemoryReport
{
    public static async Task<string> WriteAsync(string directory, int count)
    {
        var raw = await IdleMemoryProbe.MeasureInChildAsync("raw", count).ConfigureAwait(false);
        var kernel = await IdleMemoryProbe.MeasureInChildAsync("kernel", count).ConfigureAwait(false);
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Idle memory, {count:N0} receivers")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Machine.Describe()}; load average {Machine.LoadAverage()}")
            .AppendLine()
            .AppendLine("| Receivers | Managed heap MB/100k | Working set MB/100k | Bytes each (managed) | Time to create |")
            .AppendLine("|---|--:|--:|--:|--:|");
        foreach (var m in new[] { raw, kernel })
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Kind} | {m.ManagedMbPer100K:0.0} | {m.WorkingSetMbPer100K:0.0} | {m.BytesPerReceiver:0} | {m.SpawnTime.TotalMilliseconds:0} ms |");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "idle-memory.md");
        await File.WriteAllTextAsync(path, text.ToString()).ConfigureAwait(false);
        return path;
    }
}
