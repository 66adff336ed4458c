using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>MD013 (info): a VirtualService or DestinationRule that Argo Rollouts or Flagger owns and would revert hand edits of.</summary>
internal sealed class ManagedByControllerChecker : IChecker
{
    public string Code => FindingCodes.ManagedByController;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var obj in index.VirtualServices.Select(vs => vs.Source).Concat(index.DestinationRules.Select(dr => dr.Source)))
        {
            if (ControllerOwnership.ManagedBy(obj, snapshot) is { } reason)
            {
                yield return new Finding(Code, FindingSeverity.Info, reason, obj.Ref, "metadata");
            }
        }
    }
}
