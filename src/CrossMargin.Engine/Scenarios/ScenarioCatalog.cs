using CrossMargin.Engine.Reporting;

namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// A set of named scenario files. <see cref="Default"/> holds the built-in scenarios of <c>hocon/scenarios/*.conf</c>:
/// read from resources embedded in this assembly (logical names <c>scenarios/NAME.conf</c>) when present, otherwise
/// from the repository's <c>hocon/scenarios</c> folder, found by walking up from <see cref="AppContext.BaseDirectory"/>
/// (then the current directory) to the folder holding <c>CrossMarginActors.sln</c>. Immutable and thread-safe.
/// </summary>
public sealed class ScenarioCatalog
{
    /// <summary>The scenario used when none is named.</summary>
    public const string DefaultScenario = "crash";

    private const string ResourcePrefix = "scenarios/";
    private static readonly Lazy<ScenarioCatalog> DefaultCatalog = new(Discover, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly IReadOnlyDictionary<string, Func<string>> _entries;

    private ScenarioCatalog(IReadOnlyDictionary<string, Func<string>> entries, string location)
    {
        _entries = entries;
        Location = location;
    }

    /// <summary>The built-in scenarios (embedded, else the repository folder; empty when neither is found).</summary>
    public static ScenarioCatalog Default => DefaultCatalog.Value;

    /// <summary>Where the scenarios are read from: <c>embedded</c>, a folder path, or <c>none</c>.</summary>
    public string Location { get; }

    /// <summary>Scenario names (file names without <c>.conf</c>), ordinal order.</summary>
    public IReadOnlyList<string> Names => [.. _entries.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The <c>*.conf</c> files of <paramref name="folder"/> as a catalog (read on demand).</summary>
    public static ScenarioCatalog FromFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var entries = new Dictionary<string, Func<string>>(StringComparer.Ordinal);
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.GetFiles(folder, "*.conf"))
            {
                var path = file;
                entries[Path.GetFileNameWithoutExtension(file)] = () => File.ReadAllText(path);
            }
        }

        return new ScenarioCatalog(entries, Path.GetFullPath(folder));
    }

    /// <summary>True when <paramref name="name"/> is in the catalog.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>The HOCON text of scenario <paramref name="name"/>.</summary>
    /// <exception cref="RunInputException">Unknown name; the message lists the known ones.</exception>
    public string GetText(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_entries.TryGetValue(name, out var read))
        {
            return read();
        }

        var known = Names;
        throw new RunInputException(known.Count == 0
            ? $"unknown scenario '{name}': no built-in scenarios were found (neither embedded resources {ResourcePrefix}*.conf nor a hocon/scenarios folder above {AppContext.BaseDirectory}); pass a .conf file instead"
            : $"unknown scenario '{name}'; known scenarios: {string.Join(", ", known)} (or pass a path to a .conf file)");
    }

    /// <summary>The repository's <c>hocon/scenarios</c> folder when one is found above the base or current directory; null otherwise.</summary>
    public static string? FindScenarioFolder()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CrossMarginActors.sln")))
                {
                    var folder = Path.Combine(dir.FullName, "hocon", "scenarios");
                    return Directory.Exists(folder) ? folder : null;
                }
            }
        }

        return null;
    }

    private static ScenarioCatalog Discover()
    {
        var entries = new Dictionary<string, Func<string>>(StringComparer.Ordinal);
        var assembly = typeof(ScenarioCatalog).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) && resource.EndsWith(".conf", StringComparison.Ordinal))
            {
                var captured = resource;
                entries[resource[ResourcePrefix.Length..^".conf".Length]] = () =>
                {
                    using var stream = assembly.GetManifestResourceStream(captured)!;
                    using var reader = new StreamReader(stream);
                    return reader.ReadToEnd();
                };
            }
        }

        if (entries.Count > 0)
        {
            return new ScenarioCatalog(entries, "embedded");
        }

        return FindScenarioFolder() is { } folder ? FromFolder(folder) : new ScenarioCatalog(entries, "none");
    }
}
