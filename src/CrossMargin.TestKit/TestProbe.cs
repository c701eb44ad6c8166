using CrossMargin.Actors;

namespace CrossMargin.TestKit;

/// <summary>
/// A ref with an inbox you can make assertions on. Messages told to <see cref="Ref"/> land in a blocking queue, so
/// Expect* waits without polling. Create with <c>CreateTestProbe()</c>.
/// </summary>
public sealed class TestProbe : TestKitBase
{
    internal TestProbe(ActorSystem system, TestKitSettings settings, string? name) : base(system, settings, name) { }

    /// <summary>The probe's ref.</summary>
    public IActorRef Ref => TestActor;

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with this probe as sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, Ref);

    /// <summary>Tells <paramref name="message"/> to the probe itself.</summary>
    public void Tell(object message, IActorRef? sender = null) => Ref.Tell(message, sender);

    /// <inheritdoc />
    public override string ToString() => $"TestProbe({Ref.Path})";
}
