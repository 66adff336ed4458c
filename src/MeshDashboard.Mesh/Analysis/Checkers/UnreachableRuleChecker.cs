using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD006: a rule after a catch-all (no match, or an empty match entry) never sees a request, because the first rule
/// that fits wins.
/// </summary>
internal sealed class UnreachableRuleChecker : IChecker
{
    public string Code => FindingCodes.UnreachableRule;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            if (!http.IsReachable)
            {
                var catchAll = http.Vs.Http.First(r => r.IsCatchAll);
                yield return http.Finding(Code, FindingSeverity.Warning, $"is never used: rule \"{catchAll.Label}\" before it matches every request.", http.Field);
            }
        }
    }
}
