using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD002: a route destination names a subset that no DestinationRule for its host defines; Envoy has no cluster for
/// that subset and those requests fail with 503. Kiali's counterpart: <c>virtualservices/subset_presence_checker.go</c>.
/// </summary>
internal sealed class SubsetNotDefinedChecker : IChecker
{
    public string Code => FindingCodes.SubsetNotDefined;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            for (var d = 0; d < http.Rule.Destinations.Length; d++)
            {
                var destination = http.Rule.Destinations[d];
                if (destination.Subset is not { } subset)
                {
                    continue;
                }
                var host = HostNames.Resolve(destination.Host, http.Vs.Namespace);
                if (!index.DestinationRulesFor(host).SelectMany(dr => dr.Subsets).Any(s => s.Name == subset))
                {
                    yield return http.Finding(Code, FindingSeverity.Error,
                        $"routes to subset \"{subset}\" of {destination.Host}, which no DestinationRule defines; those requests fail with 503.",
                        $"{http.Field}.route[{d}].destination.subset");
                }
            }
        }
    }
}
