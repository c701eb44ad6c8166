namespace CrossMargin.Hocon;

/// <summary>
/// A typed getter on <see cref="Config"/> failed: the path is missing (<c>a.b.c is missing</c>) or its value
/// has the wrong type (the message names the full path, the value and its origin).
/// </summary>
public sealed class ConfigurationException : HoconException
{
    /// <summary>Creates the exception for the full dotted <paramref name="path"/>.</summary>
    public ConfigurationException(string path, string message, HoconOrigin? origin = null, Exception? inner = null)
        : base(message, origin, inner)
    {
        Path = path;
    }

    /// <summary>The full dotted path that was asked for, from the root of the original configuration.</summary>
    public string Path { get; }
}
