using CrossMargin.Cluster.Operations.Processes;

namespace CrossMargin.Cluster.Tests.Failover;

/// <summary>
/// Finds the built <c>crossmargin.dll</c> the node processes run: the test project references the CLI project, so it is
/// built with the tests; its own output folder (beside this assembly's, under the same artifacts or bin layout) is
/// preferred because it holds the CLI's runtimeconfig and deps files. <c>CROSSMARGIN_CLI_DLL</c> overrides.
/// </summary>
internal static class CrossMarginDll
{
    public static CrossMarginExecutable Find()
    {
        var explicitPath = Environment.GetEnvironmentVariable("CROSSMARGIN_CLI_DLL");
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return CrossMarginExecutable.FromDll(explicitPath);
        }

        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var candidates = new List<string>();
        // --artifacts-path layout: <artifacts>/bin/CrossMargin.Cluster.Tests/<config>/ → <artifacts>/bin/CrossMargin.Cli/<config>/
        if (here.Parent?.Parent is { } bin)
        {
            candidates.Add(Path.Combine(bin.FullName, "CrossMargin.Cli", here.Name, "crossmargin.dll"));
        }

        // Classic layout: tests/CrossMargin.Cluster.Tests/bin/<Config>/<tfm>/ → src/CrossMargin.Cli/bin/<Config>/<tfm>/
        if (here.Parent?.Parent?.Parent?.Parent?.Parent is { } repo && here.Parent is { } config)
        {
            candidates.Add(Path.Combine(repo.FullName, "src", "CrossMargin.Cli", "bin", config.Name, here.Name, "crossmargin.dll"));
        }

        // Copied beside the tests by the project reference.
        candidates.Add(Path.Combine(here.FullName, "crossmargin.dll"));
        foreach (var c in candidates)
        {
            if (File.Exists(c) && File.Exists(Path.ChangeExtension(c, ".runtimeconfig.json")))
            {
                return CrossMarginExecutable.FromDll(c);
            }
        }

        throw new InvalidOperationException("cannot find a built crossmargin.dll with its runtimeconfig; looked at: " + string.Join(", ", candidates)
            + ". Build tests/CrossMargin.Cluster.Tests (it references src/CrossMargin.Cli) or set CROSSMARGIN_CLI_DLL.");
    }
}
