using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD007: weights istiod's webhook refuses: a negative weight, or several destinations whose weights total 0
/// (istio/istio pkg/config/validation/virtualservice.go, <c>validateHTTPRouteDestinations</c>).
/// </summary>
internal sealed class InvalidWeightsChecker : IChecker
{
    public string Code => FindingCodes.InvalidWeights;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            var destinations = http.Rule.Destinations;
            for (var d = 0; d < destinations.Length; d++)
            {
                if (destinations[d].Weight < 0)
                {
                    yield return http.Finding(Code, FindingSeverity.Error, $"has a negative weight ({destinations[d].Weight}); Istio rejects it.", $"{http.Field}.route[{d}].weight");
                }
            }
            if (destinations.Length >= 2 && !destinations.Any(d => d.Weight < 0) && destinations.Sum(d => d.Weight ?? 0) == 0)
            {
                yield return http.Finding(Code, FindingSeverity.Error, "has several destinations whose weights total 0; Istio rejects it.", $"{http.Field}.route");
            }
        }
    }
}
