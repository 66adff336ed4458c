using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>MD013 (info): a VirtualService or DestinationRule that Argo Rollouts or Flagger owns and would revert hand edits of.</summary>
internal sealed class ManagedByControllerChecker : IChecker
{
    public string Code => FindingCodes.ManagedByController;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var obj in snapshot.Of(ResourceKind.VirtualService).Concat(snapshot.Of(ResourceKind.DestinationRule)))
        {
            if (ControllerOwnership.ManagedBy(obj, snapshot) is { } reason)
            {
                yield return new Finding(Code, FindingSeverity.Info, reason, obj.Ref, "metadata");
            }
        }
    }
}
