using System.Globalization;

namespace CrossMargin.Actors.Benchmarks.Quick;

/// <summary>
/// Options of the quick mode: <c>--reps N</c> (measured runs per case, default 3), <c>--seconds S</c> (target length of
/// one run, default 0.2), <c>--only TEXT</c> (only scenarios whose name contains TEXT, e.g. "fan-out", "8 pairs", "idle").
/// </summary>
public sealed record QuickOptions(int Repetitions, double SecondsPerRun, string? Only = null)
{
    public bool Includes(string scenario) => Only == null || scenario.Contains(Only, StringComparison.OrdinalIgnoreCase);

    public static QuickOptions Parse(IReadOnlyList<string> args)
    {
        var reps = 3;
        var seconds = 0.2;
        string? only = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--reps":
                    reps = int.Parse(Value(args, ++i, "--reps"), CultureInfo.InvariantCulture);
                    if (reps < 1) throw new ArgumentException($"--reps must be at least 1, was {reps}");
                    break;
                case "--seconds":
                    seconds = double.Parse(Value(args, ++i, "--seconds"), CultureInfo.InvariantCulture);
                    if (seconds is <= 0 or > 10) throw new ArgumentException($"--seconds must be in (0, 10], was {seconds}");
                    break;
                case "--only":
                    only = Value(args, ++i, "--only");
                    break;
            }
        }
        return new QuickOptions(reps, seconds, only);
    }

    private static string Value(IReadOnlyList<string> args, int i, string flag) =>
        i < args.Count ? args[i] : throw new ArgumentException($"{flag} needs a value");
}
