using System.Diagnostics;
using System.Reflection;

namespace CrossMargin.Cluster.Operations.Processes;

/// <summary>
/// How to start another <c>crossmargin</c> process (a node, the load generator) from the same build: either the
/// application host the current process runs as, or <c>dotnet crossmargin.dll</c>.
/// </summary>
/// <param name="FileName">What to execute (the apphost, or the <c>dotnet</c> host).</param>
/// <param name="LeadingArguments">Arguments before the command (the dll path when run through <c>dotnet</c>).</param>
public sealed record CrossMarginExecutable(string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>
    /// The executable the current process was started as: when it runs under the <c>dotnet</c> host, that host plus the
    /// entry assembly (<c>crossmargin.dll</c>); when it runs as its apphost, the apphost itself.
    /// </summary>
    public static CrossMarginExecutable Current()
    {
        var path = Environment.ProcessPath ?? throw new ClusterOperationException("cannot tell which executable this process runs (Environment.ProcessPath is null)");
        if (IsDotnetHost(path))
        {
            var dll = Assembly.GetEntryAssembly()?.Location;
            if (string.IsNullOrEmpty(dll))
            {
                throw new ClusterOperationException("cannot find the entry assembly (crossmargin.dll) to start more processes from");
            }

            return new CrossMarginExecutable(path, [dll]);
        }

        return new CrossMarginExecutable(path, []);
    }

    /// <summary><c>dotnet <paramref name="dllPath"/></c>, with the host the SDK names (<c>DOTNET_HOST_PATH</c>) or <c>dotnet</c> on the PATH.</summary>
    /// <exception cref="ClusterOperationException">The dll does not exist.</exception>
    public static CrossMarginExecutable FromDll(string dllPath)
    {
        if (!File.Exists(dllPath))
        {
            throw new ClusterOperationException($"{dllPath} does not exist: build src/CrossMargin.Cli first");
        }

        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) || !File.Exists(host))
        {
            host = Environment.ProcessPath is { } p && IsDotnetHost(p) ? p : "dotnet";
        }

        return new CrossMarginExecutable(host, [Path.GetFullPath(dllPath)]);
    }

    /// <summary>A start description for <c>crossmargin <paramref name="arguments"/></c> with <paramref name="environment"/> added.</summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(FileName);
        foreach (var a in LeadingArguments.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>The command line as a person would type it (for "logs and commands" messages).</summary>
    public string Describe(IEnumerable<string> arguments) =>
        string.Join(' ', new[] { FileName }.Concat(LeadingArguments).Concat(arguments).Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Contains(';', StringComparison.Ordinal) ? $"\"{a}\"" : a));

    private static bool IsDotnetHost(string path) =>
        Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
}
