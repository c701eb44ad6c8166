using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace CrossMargin.Actors.Benchmarks.Harness;

/// <summary>What a recorded figure needs next to it: CPU, cores, runtime, GC mode and how busy the machine was.</summary>
public static class Machine
{
    public static string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}, " +
        $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC ({GCSettings.LatencyMode})");

    /// <summary>The 1/5/15-minute load averages from /proc/loadavg, or "n/a" off Linux.</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line == null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
