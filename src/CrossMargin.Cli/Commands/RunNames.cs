using System.Globalization;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Commands;

/// <summary>Deterministic names for runs, default journals and report folders (no timestamps: the same command gives the same paths).</summary>
internal static class RunNames
{
    /// <summary>Folder under which default journals, reports and logs go.</summary>
    public const string DataFolder = "./data";

    /// <summary>E.g. <c>crash-cross-seed42-n1000</c>, plus <c>-set</c> and the <see cref="OverridesId"/> when there are <c>--set</c> overrides; parts the user left to the scenario are omitted (<c>crash-default</c>).</summary>
    public static string RunId(string scenario, MarginMode? mode, ulong? seed, int? accounts, IReadOnlyList<ConfigOverride>? overrides = null)
    {
        var name = Path.GetFileNameWithoutExtension(scenario);
        var id = $"{name}-{mode?.ToName() ?? "default"}";
        if (seed is { } s) id += "-seed" + s.ToString(CultureInfo.InvariantCulture);
        if (accounts is { } n) id += "-n" + n.ToString(CultureInfo.InvariantCulture);
        if (overrides is { Count: > 0 }) id += "-set" + OverridesId(overrides);
        return id;
    }

    /// <summary>The default journal of a run: <c>sqlite:./data/journals/RUN-ID.db</c>.</summary>
    public static JournalTarget DefaultJournal(string runId) => new(JournalKind.Sqlite, $"{DataFolder}/journals/{runId}.db");

    /// <summary>
    /// <paramref name="runId"/> when its default journal file does not exist yet, else the first of
    /// <c>RUN-ID-2</c>, <c>RUN-ID-3</c>, ... whose journal file does not exist (relative to the working directory).
    /// </summary>
    public static string NextFreeRunId(string runId)
    {
        bool Taken(string id) => File.Exists($"{DataFolder}/journals/{id}.db");
        if (!Taken(runId)) return runId;
        for (var n = 2; ; n++)
        {
            var candidate = runId + "-" + n.ToString(CultureInfo.InvariantCulture);
            if (!Taken(candidate)) return candidate;
        }
    }

    /// <summary>The default report folder of a run: <c>./data/reports/RUN-ID</c>.</summary>
    public static string DefaultReportFolder(string runId) => $"{DataFolder}/reports/{runId}";

    /// <summary>A short stable id of a set of overrides (first 8 hex digits of SHA-256 of their text), for what-if names.</summary>
    public static string OverridesId(IReadOnlyList<ConfigOverride> overrides)
    {
        var text = string.Join('\n', overrides.Select(o => o.ToString()));
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(hash)[..8];
    }
}
