using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD003: a DestinationRule subset whose labels select none of its Service's pods (ready or not); whatever is routed to
/// it fails. Reported on the DestinationRule, whether or not traffic goes there (MD014 judges the traffic).
/// </summary>
internal sealed class SubsetSelectsNoPodsChecker : IChecker
{
    public string Code => FindingCodes.SubsetSelectsNoPods;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var dr in index.DestinationRules)
        {
            if (index.ServiceByFqdn(HostNames.Resolve(dr.Host, dr.Namespace)) is not { } service)
            {
                continue;
            }
            var pods = index.PodsOf(service);
            for (var i = 0; i < dr.Subsets.Length; i++)
            {
                var subset = dr.Subsets[i];
                if (!pods.Any(p => subset.Selects(p.Labels)))
                {
                    yield return new Finding(Code, FindingSeverity.Warning,
                        $"{dr.Name}: subset \"{subset.Name}\" selects no pods of {service.Name}; traffic routed to it fails.", dr.Source.Ref, $"spec.subsets[{i}].labels");
                }
            }
        }
    }
}
