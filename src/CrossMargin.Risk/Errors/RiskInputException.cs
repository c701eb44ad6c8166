namespace CrossMargin.Risk.Errors;

/// <summary>
/// Bad input to the risk core: a field whose value is outside what the model accepts (zero or negative price,
/// unknown instrument, haircut outside [0, 1], size beyond the last bracket, NaN or infinity from a double).
/// </summary>
/// <remarks>The message always names the field and the offending value, so the caller can point at the source.</remarks>
public sealed class RiskInputException : Exception
{
    /// <summary>Creates the error for <paramref name="field"/> holding <paramref name="value"/>.</summary>
    public RiskInputException(string field, string value, string reason)
        : base($"{field} = {value}: {reason}")
    {
        Field = field;
        Value = value;
        Reason = reason;
    }

    /// <summary>The field (dotted path, e.g. <c>instrument[BTCUSDT].tick-size</c>) that holds the bad value.</summary>
    public string Field { get; }

    /// <summary>The offending value as text.</summary>
    public string Value { get; }

    /// <summary>Why the value was refused.</summary>
    public string Reason { get; }
}
