namespace CrossMargin.Hocon;

/// <summary>An unquoted token whose kind (number, boolean, null or string) is decided by its neighbours.</summary>
internal sealed class HoconUnquotedText(string text, HoconOrigin origin) : HoconValue(origin)
{
    public string Text { get; } = text;

    internal override string Describe() => $"'{Text}'";
}
