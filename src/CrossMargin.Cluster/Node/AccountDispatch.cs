using CrossMargin.Actors;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;

namespace CrossMargin.Cluster.Node;

/// <summary>
/// Turns one decoded inbox command of a shard into a message to the account actor and its answer into the wire reply.
/// Commands and coordinator events carry the inbox command id as their delivery id, so the account journals a receipt
/// with the effect and answers a redelivery with the original outcome.
/// </summary>
internal static class AccountDispatch
{
    /// <summary>
    /// Starts handling <paramref name="message"/> (the tell happens before this returns, so calls made in inbox order
    /// reach each account in inbox order) and returns the task of its reply. Errors that need no actor (unknown account,
    /// wrong shard, unsupported type) complete at once with a <see cref="MessageError"/>.
    /// </summary>
    public static Task<object> Start(object message, Guid commandId, int shard, IActorRef shardActor, NodeEngine engine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (message is not (AccountCommand or IAccountWireMessage))
        {
            return Done(new MessageError("wrong-target", $"a {MessageCodec.TypeOf(message)} message cannot be handled by an account shard"));
        }

        var accountId = message is AccountCommand c ? c.AccountId : ((IAccountWireMessage)message).AccountId;
        var owner = ShardMap.ShardOf(accountId, engine.ShardCount);
        if (owner != shard)
        {
            return Done(new MessageError("wrong-target", $"account {accountId} belongs to shard-{owner}, not shard-{shard} (the sender must route by ShardMap.ShardOf)"));
        }

        if (!engine.IsKnown(accountId))
        {
            return message is AccountCommand unknown
                ? Done(CommandReply.Refuse(unknown, $"unknown account {accountId}"))
                : Done(new MessageError("unknown-account", $"account {accountId} is not in the account directory of scenario {engine.Scenario.Name}"));
        }

        switch (message)
        {
            case AccountCommand command:
                return Reply(shardActor.Ask<CommandReply>(new AccountCommandEnvelope(command) { DeliveryId = commandId }, timeout, cancellationToken), shardActor, engine);
            case LiquidationFillMessage fill:
                return Applied(shardActor.Ask<CoordinatorEventApplied>(new ApplyCoordinatorEvent(accountId, fill.Fill) { DeliveryId = commandId }, timeout, cancellationToken));
            case WaterfallSettledMessage settled:
                return Applied(shardActor.Ask<CoordinatorEventApplied>(new ApplyCoordinatorEvent(accountId, settled.Settlement) { DeliveryId = commandId, Before = BaseOf(settled, engine) }, timeout, cancellationToken));
            case RemarginMessage remargin:
                // Asked by the coordinator (after a round, or when it starts): the account reports even if unchanged.
                shardActor.Tell(new MarksChanged(accountId, engine.Wiring.Board.Prices, remargin.TimeMicros) { Report = true });
                return View(shardActor.Ask<EngineAccount>(new GetAccountState(accountId), timeout, cancellationToken));
            case GetAccountMessage:
                return View(shardActor.Ask<EngineAccount>(new GetAccountState(accountId), timeout, cancellationToken));
            default:
                return Done(new MessageError("wrong-target", $"{MessageCodec.TypeOf(message)} is not handled by account shards"));
        }
    }

    /// <summary>The wire view of an account's state.</summary>
    public static AccountView ToView(EngineAccount state)
    {
        var settled = AccountLogic.SettledEvent(0, "view", state.Account);
        return new AccountView(state.Id, state.State, settled.Balances, settled.Positions);
    }

    private static Task<object> Done(object reply) => Task.FromResult(reply);

    /// <summary>The settlement's base as an account (only its balances and positions matter), or null when the message has none.</summary>
    private static Risk.Model.Account? BaseOf(WaterfallSettledMessage settled, NodeEngine engine) =>
        settled.Before is { } before
            ? AccountLogic.Apply(EngineAccount.Empty(settled.AccountId, Risk.Model.MarginMode.Cross), new Engine.Domain.Events.WaterfallSettled(0, "before", before.Balances, before.Positions), engine.Model).Account
            : null;

    private static async Task<object> Reply(Task<CommandReply> ask, IActorRef shardActor, NodeEngine engine)
    {
        var reply = await ask.ConfigureAwait(false);
        if (reply.Accepted)
        {
            // Re-margin after an accepted command (as the single-process driver's RegisterAll does after seeding): the
            // account registers its bands with this node's feed followers and reports its state to the coordinator.
            shardActor.Tell(new MarksChanged(reply.AccountId, engine.Wiring.Board.Prices, engine.LastFeedTimeMicros));
        }

        return reply;
    }

    private static async Task<object> Applied(Task<CoordinatorEventApplied> ask)
    {
        var applied = await ask.ConfigureAwait(false);
        return new EventAppliedReply(applied.AccountId, applied.Duplicate);
    }

    private static async Task<object> View(Task<EngineAccount> ask) => ToView(await ask.ConfigureAwait(false));
}
