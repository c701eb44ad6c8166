namespace CrossMargin.Cluster.Tests.Compose;

/// <summary>The repository root: the folder holding CrossMarginActors.sln, found by walking up from the test binaries.</summary>
internal static class RepoRoot
{
    private static readonly Lazy<string> Found = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CrossMarginActors.sln")))
            {
                return dir.FullName;
            }
        }

        // Binaries built outside the tree (--artifacts-path): fall back to the source file's location.
        for (var dir = new DirectoryInfo(SourceDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CrossMarginActors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"cannot find the repository root (CrossMarginActors.sln) above {AppContext.BaseDirectory}");
    });

    public static string Path => Found.Value;

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") => System.IO.Path.GetDirectoryName(file) ?? "/";
}
