namespace CrossMargin.Actors.Benchmarks.Harness;

/// <summary>Finds the repository root (the folder holding CrossMarginActors.sln) so reports land in benchmarks/results.</summary>
public static class RepoPaths
{
    private const string SolutionFile = "CrossMarginActors.sln";

    /// <summary>
    /// Walks up from the working directory, then from the program's folder (which is usually under an artifacts path
    /// outside the repository, hence the working directory first).
    /// </summary>
    public static string? FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        }
        return null;
    }

    /// <summary>benchmarks/results/actors under the repository root.</summary>
    public static string DefaultResultsPath() =>
        Path.Combine(FindRoot() ?? throw new InvalidOperationException(
            $"Cannot find {SolutionFile} above {Environment.CurrentDirectory}; run from inside the repository or pass --results <dir>."),
            "benchmarks", "results", "actors");
}
