using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD001: a route destination names a cluster-local host (<c>*.svc.cluster.local</c> after resolution) for which no
/// Service exists; Envoy has no cluster for it and answers 503. Hosts outside the cluster domain (ServiceEntries,
/// external names) are not judged. Kiali's counterpart: <c>virtualservices/no_host_checker.go</c>.
/// </summary>
internal sealed class DestinationHostNotFoundChecker : IChecker
{
    public string Code => FindingCodes.DestinationHostNotFound;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            for (var d = 0; d < http.Rule.Destinations.Length; d++)
            {
                var destination = http.Rule.Destinations[d];
                var host = HostNames.Resolve(destination.Host, http.Vs.Namespace);
                if (host.EndsWith(".svc." + HostNames.ClusterDomain, StringComparison.Ordinal) && !index.ServiceExists(host))
                {
                    yield return http.Finding(Code, FindingSeverity.Error, $"routes to {destination.Host}, but no such Service exists.",
                        $"{http.Field}.route[{d}].destination.host");
                }
            }
        }
    }
}
