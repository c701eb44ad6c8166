using System.Collections;

namespace CrossMargin.Hocon;

/// <summary>
/// Entry points that turn HOCON text, files and the environment into resolved <see cref="Config"/> instances,
/// named as in Akka.NET. Every method is thread-safe. Parse errors throw <see cref="HoconParseException"/>,
/// substitution errors <see cref="HoconResolveException"/>; both name source, line and column.
/// </summary>
public static class ConfigurationFactory
{
    /// <summary>Logical name of the embedded copy of the repository's <c>hocon/reference.conf</c>.</summary>
    public const string ReferenceResourceName = "reference.conf";

    private static readonly Lazy<HoconObject> ReferenceTree = new(LoadReferenceTree, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Config> DefaultConfig = new(
        () => new Config(HoconResolver.Resolve(ReferenceTree.Value, Environment.GetEnvironmentVariable), []),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A configuration with no keys.</summary>
    public static Config Empty { get; } = new(HoconObject.Empty(new HoconOrigin("empty", 1, 1)), []);

    /// <summary>
    /// Parses and resolves <paramref name="text"/>. <paramref name="sourceName"/> names the text in error messages
    /// (default <c>string</c>). Relative includes are read from the current directory. Substitutions missing from
    /// the text fall back to environment variables of the same name.
    /// </summary>
    public static Config ParseString(string text, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tree = HoconParser.Parse(text, sourceName ?? "string", HoconIncluder.None, []);
        return new Config(HoconResolver.Resolve(tree, Environment.GetEnvironmentVariable), []);
    }

    /// <summary>
    /// Parses <paramref name="text"/>, layers it over <paramref name="fallback"/> and resolves the result, so
    /// substitutions and self-references (<c>list = ${list} [x]</c>, <c>+=</c>) in the text can see the fallback's values.
    /// </summary>
    public static Config ParseString(string text, string? sourceName, Config fallback)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fallback);
        var tree = HoconParser.Parse(text, sourceName ?? "string", HoconIncluder.None, []);
        var merged = HoconMerger.MergeObjects(tree, fallback.Root);
        return new Config(HoconResolver.Resolve(merged, Environment.GetEnvironmentVariable), []);
    }

    /// <summary>
    /// Parses and resolves a file: <c>.properties</c> files as Java properties, anything else as HOCON (JSON included).
    /// Relative includes are read from the file's folder.
    /// </summary>
    public static Config ParseFile(string path) => ParseFile(path, useEnvironment: true);

    /// <summary>
    /// The repository's <c>hocon/reference.conf</c> (embedded in this assembly), resolved. Built once and shared.
    /// </summary>
    public static Config Default() => DefaultConfig.Value;

    /// <summary>
    /// The application's configuration: environment overrides (see <see cref="EnvironmentOverrides"/>) over
    /// <paramref name="applicationFile"/> (when given) over <c>reference.conf</c>, merged first and then resolved
    /// together, so the application file may refer to and extend values from <c>reference.conf</c>.
    /// </summary>
    public static Config Load(string? applicationFile = null) => Load(applicationFile, ProcessEnvironment());

    /// <summary>
    /// As <see cref="Load(string?)"/>, with an explicit environment (used both for overrides and for the
    /// substitution fallback) so tests need not touch the process environment.
    /// </summary>
    public static Config Load(string? applicationFile, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var tree = ReferenceTree.Value;
        if (applicationFile is not null)
        {
            tree = HoconMerger.MergeObjects(LoadFileTree(applicationFile), tree);
        }

        tree = HoconMerger.MergeObjects(EnvironmentOverrides.Build(environment), tree);
        return new Config(HoconResolver.Resolve(tree, name => environment.GetValueOrDefault(name)), []);
    }

    /// <summary>For tests: parse a file with the environment fallback switched off (HOCON conformance mode).</summary>
    internal static Config ParseFile(string path, bool useEnvironment)
    {
        var tree = LoadFileTree(path);
        return new Config(HoconResolver.Resolve(tree, useEnvironment ? Environment.GetEnvironmentVariable : null), []);
    }

    private static HoconObject LoadFileTree(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            var full = Path.GetFullPath(path);
            throw new HoconParseException($"configuration file {full} does not exist", new HoconOrigin(full, 1, 1));
        }

        return HoconIncluder.LoadFile(path, []);
    }

    private static HoconObject LoadReferenceTree()
    {
        using var stream = typeof(ConfigurationFactory).Assembly.GetManifestResourceStream(ReferenceResourceName)
            ?? throw new HoconException($"embedded resource {ReferenceResourceName} is missing from {typeof(ConfigurationFactory).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return HoconParser.Parse(reader.ReadToEnd(), ReferenceResourceName, HoconIncluder.None, []);
    }

    private static Dictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                result[key] = value;
            }
        }

        return result;
    }
}
