namespace CrossMargin.Hocon.Tests.Support;

/// <summary>Finds the repository root (the folder holding CrossMarginActors.sln) and the shared fixtures beside it.</summary>
internal static class RepositoryPaths
{
    /// <summary>Walks up from AppContext.BaseDirectory, then (for builds with an outside artifacts path) from the project folder.</summary>
    public static string Root()
    {
        var projectDirectory = typeof(RepositoryPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ProjectDirectory")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, projectDirectory })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CrossMarginActors.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"no CrossMarginActors.sln above {AppContext.BaseDirectory} or {projectDirectory}");
    }

    /// <summary>../shared/conformance/hocon-equiv relative to the repository root; fails clearly when absent.</summary>
    public static string HoconEquivalenceFixtures()
    {
        var path = Path.GetFullPath(Path.Combine(Root(), "..", "shared", "conformance", "hocon-equiv"));
        Assert.True(Directory.Exists(path),
            $"HOCON conformance fixtures are missing: expected the folder {path} (../shared/conformance/hocon-equiv next to the repository). " +
            "They are the lightbend/config equiv01..05 files; without them the conformance test cannot run.");
        return path;
    }
}
