using System.Globalization;
using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD008 (info): several valid weights that do not total 100. Istio accepts that since 1.15 and splits by weight / sum;
/// the finding shows the percentages that result, so nobody reads "30" as 30%.
/// </summary>
internal sealed class WeightsNotHundredChecker : IChecker
{
    public string Code => FindingCodes.WeightsNotHundred;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            var rule = http.Rule;
            if (rule.Destinations.Length < 2 || rule.Destinations.Any(d => d.Weight < 0))
            {
                continue;
            }
            var total = rule.Destinations.Sum(d => d.Weight ?? 0);
            if (total != 0 && total != 100)
            {
                var percentages = rule.EffectivePercentages;
                var shares = string.Join(", ", rule.Destinations.Select((d, i) => $"{RoutingDescriber.Percent(percentages[i])} {d.Subset ?? d.Host}"));
                yield return http.Finding(Code, FindingSeverity.Info,
                    $"has weights totalling {total.ToString(CultureInfo.InvariantCulture)}; they apply as {shares}.", $"{http.Field}.route");
            }
        }
    }
}
