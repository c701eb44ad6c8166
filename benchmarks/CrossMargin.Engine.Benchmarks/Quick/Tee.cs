using System.Text;

namespace CrossMargin.Engine.Benchmarks.Quick;

/// <summary>Writes everything to two writers (the console and the results file's buffer).</summary>
public sealed class Tee(TextWriter first, TextWriter second) : TextWriter
{
    public override Encoding Encoding => first.Encoding;

    public override void Write(char value)
    {
        first.Write(value);
        second.Write(value);
    }

    public override void Write(string? value)
    {
        first.Write(value);
        second.Write(value);
    }

    public override void WriteLine(string? value)
    {
        first.WriteLine(value);
        second.WriteLine(value);
    }
}
