namespace CrossMargin.Engine.Tests.Feeds;

/// <summary>A private temporary folder for test CSV files, deleted on dispose.</summary>
internal sealed class TempFiles : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cm-feeds-" + Guid.NewGuid().ToString("N"));

    public TempFiles() => Directory.CreateDirectory(_dir);

    public string Write(string name, params string[] lines)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
