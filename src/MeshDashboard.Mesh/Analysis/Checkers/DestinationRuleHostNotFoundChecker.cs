using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD011: a DestinationRule for a cluster-local host with no Service applies to nothing. Hosts outside the cluster
/// domain are not judged. Kiali's counterpart: <c>destinationrules/no_dest_checker.go</c>.
/// </summary>
internal sealed class DestinationRuleHostNotFoundChecker : IChecker
{
    public string Code => FindingCodes.DestinationRuleHostNotFound;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var dr in index.DestinationRules)
        {
            var host = HostNames.Resolve(dr.Host, dr.Namespace);
            if (host.EndsWith(".svc." + HostNames.ClusterDomain, StringComparison.Ordinal) && !index.ServiceExists(host))
            {
                yield return new Finding(Code, FindingSeverity.Warning,
                    $"{dr.Name}: host {dr.Host} is not a Service in the cluster; this DestinationRule applies to nothing.", dr.Source.Ref, "spec.host");
            }
        }
    }
}
