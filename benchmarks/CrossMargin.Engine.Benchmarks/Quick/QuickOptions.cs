using System.Globalization;

namespace CrossMargin.Engine.Benchmarks.Quick;

/// <summary>Options of the quick mode: <c>--accounts N --batches B --batch-seconds S --crashes C --crash-drop X</c>.</summary>
public sealed record QuickOptions
{
    /// <summary>Population of every engine built (default 5,000).</summary>
    public int Accounts { get; init; } = 5_000;

    /// <summary>Timed batches per figure; the median is reported (default 5).</summary>
    public int Batches { get; init; } = 5;

    /// <summary>Target length of one batch (default 0.5 s).</summary>
    public double BatchSeconds { get; init; } = 0.5;

    /// <summary>Relative index moves of the wake-up scenarios (default ±0.5% and ±2%).</summary>
    public IReadOnlyList<decimal> Moves { get; init; } = [0.005m, 0.02m];

    /// <summary>Crash ticks measured, each on a fresh engine (default 3).</summary>
    public int Crashes { get; init; } = 3;

    /// <summary>Fall of the crash tick (default 0.15 = −15%).</summary>
    public decimal CrashDrop { get; init; } = 0.15m;

    /// <summary>Parses the arguments after <c>--quick</c>.</summary>
    /// <exception cref="ArgumentException">An unknown option or a value out of range.</exception>
    public static QuickOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new QuickOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--accounts" => o with { Accounts = Int(args[i], value, 10, 1_000_000) },
                "--batches" => o with { Batches = Int(args[i], value, 1, 100) },
                "--batch-seconds" => o with { BatchSeconds = (double)Dec(args[i], value, 0.01m, 60m) },
                "--crashes" => o with { Crashes = Int(args[i], value, 1, 100) },
                "--crash-drop" => o with { CrashDrop = Dec(args[i], value, 0.01m, 0.9m) },
                _ => throw new ArgumentException($"unknown option {args[i]}; accepted --accounts, --batches, --batch-seconds, --crashes, --crash-drop"),
            };
            i++;
        }

        return o;
    }

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new ArgumentException($"{name}: '{value}' is out of range; accepted {min}..{max}");

    private static decimal Dec(string name, string value, decimal min, decimal max) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new ArgumentException($"{name}: '{value}' is out of range; accepted {min}..{max}");
}
