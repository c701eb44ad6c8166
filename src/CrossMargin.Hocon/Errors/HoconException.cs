namespace CrossMargin.Hocon;

/// <summary>
/// Base of every error this library raises. Catch this to handle any configuration problem in one place.
/// </summary>
public class HoconException : Exception
{
    /// <summary>Creates the exception with a complete, human-readable message.</summary>
    public HoconException(string message, HoconOrigin? origin = null, Exception? inner = null)
        : base(message, inner)
    {
        Origin = origin;
    }

    /// <summary>Where the problem is, when known (file or source name, line, column).</summary>
    public HoconOrigin? Origin { get; }
}
