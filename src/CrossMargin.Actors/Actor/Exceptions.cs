namespace CrossMargin.Actors;

/// <summary>Base of the kernel's exceptions.</summary>
public class AkkaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AkkaException(string message, Exception? cause = null) : base(message, cause) { }
}

/// <summary>An actor's constructor (or its initialisation) threw; default supervision stops the actor.</summary>
public sealed class ActorInitializationException : AkkaException
{
    /// <summary>Creates the exception for <paramref name="actor"/>.</summary>
    public ActorInitializationException(IActorRef? actor, string message, Exception? cause = null)
        : base(actor == null ? message : $"{message} (actor {actor.Path})", cause) => Actor = actor;

    /// <summary>The actor that failed to initialise.</summary>
    public IActorRef? Actor { get; }
}

/// <summary>Thrown by an actor that received <see cref="Kill"/>; default supervision stops it.</summary>
public sealed class ActorKilledException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public ActorKilledException(string message) : base(message) { }
}

/// <summary>Thrown when an actor does not handle a <see cref="Terminated"/> of an actor it watched; default supervision stops it.</summary>
public sealed class DeathPactException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public DeathPactException(IActorRef deadActor) : base($"Monitored actor [{deadActor.Path}] terminated") => DeadActor = deadActor;

    /// <summary>The watched actor that terminated.</summary>
    public IActorRef DeadActor { get; }
}

/// <summary>An Ask got no reply within its timeout, or its target was already terminated.</summary>
public sealed class AskTimeoutException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public AskTimeoutException(string message) : base(message) { }
}

/// <summary>An actor name is empty, malformed, starts with '$' or is already taken by a sibling.</summary>
public sealed class InvalidActorNameException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public InvalidActorNameException(string message) : base(message) { }
}

/// <summary>Misuse of the actor API, e.g. stashing the same message twice or calling Context outside an actor.</summary>
public sealed class IllegalStateException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public IllegalStateException(string message) : base(message) { }
}
