namespace CrossMargin.Hocon;

/// <summary>
/// Loads included files relative to the including file's folder (or the current directory for text parsed
/// from a string). A name without extension loads every one of <c>.properties</c>, <c>.json</c> and
/// <c>.conf</c> that exists, merged in that order so <c>.conf</c> wins. Detects include cycles.
/// </summary>
internal sealed class HoconIncluder
{
    private static readonly string[] KnownExtensions = [".conf", ".json", ".properties"];
    private static readonly string[] MergeOrder = [".properties", ".json", ".conf"];

    private readonly string? _baseDirectory;
    private readonly HashSet<string> _openFiles;

    private HoconIncluder(string? baseDirectory, HashSet<string> openFiles)
    {
        _baseDirectory = baseDirectory;
        _openFiles = openFiles;
    }

    /// <summary>For text that did not come from a file: includes are relative to the current directory.</summary>
    public static HoconIncluder None => new(null, new HashSet<string>(StringComparer.Ordinal));

    /// <summary>For a file being parsed: includes are relative to its folder.</summary>
    public static HoconIncluder ForFile(string fullPath) =>
        new(Path.GetDirectoryName(fullPath), new HashSet<string>(StringComparer.Ordinal) { fullPath });

    /// <summary>Parses a file (HOCON, JSON or properties by extension) into an unresolved object.</summary>
    public static HoconObject LoadFile(string path, IReadOnlyList<string> prefix)
    {
        var fullPath = Path.GetFullPath(path);
        return ForFile(fullPath).ParseFile(fullPath, prefix);
    }

    /// <summary>Loads <paramref name="name"/> for an include written at <paramref name="at"/> inside the object at <paramref name="prefix"/>.</summary>
    public HoconObject Include(string name, bool required, HoconOrigin at, IReadOnlyList<string> prefix)
    {
        var basePath = Path.IsPathRooted(name) ? name : Path.Combine(_baseDirectory ?? Directory.GetCurrentDirectory(), name);
        var extension = Path.GetExtension(basePath);
        var candidates = KnownExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase)
            ? [basePath]
            : MergeOrder.Select(e => basePath + e).ToArray();
        var result = HoconObject.Empty(at);
        var found = false;
        foreach (var candidate in candidates)
        {
            var fullPath = Path.GetFullPath(candidate);
            if (!File.Exists(fullPath))
            {
                continue;
            }

            if (_openFiles.Contains(fullPath))
            {
                throw new HoconParseException($"include cycle: {fullPath} includes itself (include at {at})", at);
            }

            found = true;
            var child = new HoconIncluder(Path.GetDirectoryName(fullPath), new HashSet<string>(_openFiles, StringComparer.Ordinal) { fullPath });
            result = HoconMerger.MergeObjects(child.ParseFile(fullPath, prefix), result);
        }

        if (!found && required)
        {
            throw new HoconParseException(
                $"required include \"{name}\" at {at} was not found (looked for {string.Join(", ", candidates)})", at);
        }

        return result;
    }

    private HoconObject ParseFile(string fullPath, IReadOnlyList<string> prefix)
    {
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (IOException e)
        {
            throw new HoconParseException($"cannot read {fullPath}: {e.Message}", new HoconOrigin(fullPath, 1, 1), e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new HoconParseException($"cannot read {fullPath}: {e.Message}", new HoconOrigin(fullPath, 1, 1), e);
        }

        return fullPath.EndsWith(".properties", StringComparison.OrdinalIgnoreCase)
            ? PropertiesParser.Parse(text, fullPath)
            : HoconParser.Parse(text, fullPath, this, prefix);
    }
}
