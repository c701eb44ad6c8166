namespace CrossMargin.Hocon;

/// <summary>
/// The text is not valid HOCON (or an include could not be read). The message names source, line, column,
/// what was expected and what was found, e.g. <c>expected '}' or a key at app.conf:12:5, found ']'</c>.
/// </summary>
public sealed class HoconParseException : HoconException
{
    /// <summary>Creates the exception; <paramref name="message"/> must already name the origin.</summary>
    public HoconParseException(string message, HoconOrigin? origin, Exception? inner = null)
        : base(message, origin, inner)
    {
    }
}
