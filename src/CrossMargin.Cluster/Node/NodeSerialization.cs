using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Cluster.Node;

/// <summary>The event serializer of a node's journal: the engine's events and snapshots plus the cluster receipts.</summary>
public static class NodeSerialization
{
    /// <summary>
    /// A serializer with every engine event (<see cref="EngineSerialization"/>), the account snapshot, and the cluster
    /// types <c>CommandApplied</c> (receipts), <c>CollateralSeized</c> and <c>CoordinatorDispatched</c> (the coordinator's seizures and sent events) and <c>ClusterAccountSnapshot</c>. Tools that read a cluster's journal use it too.
    /// </summary>
    public static EventSerializer Create()
    {
        var serializer = ActorEngine.RegisterSnapshots(EngineSerialization.Create());
        return serializer
            .Register<CommandApplied>("CommandApplied")
            .Register<CollateralSeized>("CollateralSeized")
            .Register<CoordinatorDispatched>("CoordinatorDispatched")
            .Register<ClusterAccountSnapshot>("ClusterAccountSnapshot");
    }
}
