using System.Globalization;
using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD014: a route sends a share of its traffic to a destination without enough ready pods for it. A destination's pods
/// are its Service's selected pods, narrowed by the subset's labels (<see cref="Endpoints"/>); only ready pods are
/// endpoints, so Envoy sends nothing to the others. Its share is its percentage of the rule's traffic as Envoy splits it
/// (weight / sum, <see cref="Istio.HttpRouteView.EffectivePercentages"/>). The rule, per destination with a share above 0
/// in a reachable rule, when its pods are known (an in-cluster Service with a selector; a defined subset):
/// <list type="bullet">
/// <item>error: 0 ready pods. Those requests get 503 (no healthy upstream).</item>
/// <item>warning: a share of 50% or more while fewer than half of the destination's pods are ready (a rollout stuck or
/// crash-looping under most of the traffic).</item>
/// <item>warning: with several destinations whose pods are all known, the destination's part of the ready pods of the
/// rule's destinations that get traffic is less than half its traffic share (each of its ready pods takes more than twice an even spread, e.g. 90% of the
/// traffic on 1 of 10 ready pods).</item>
/// </list>
/// Missing Services (MD001), undefined subsets (MD002) and unreachable rules (MD006) are left to their own codes.
/// </summary>
internal sealed class TrafficToUnreadyPodsChecker : IChecker
{
    public string Code => FindingCodes.TrafficToUnreadyPods;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            if (!http.IsReachable)
            {
                continue;
            }
            var destinations = http.Rule.Destinations;
            var shares = http.Rule.EffectivePercentages;
            var endpoints = destinations.Select(d => Endpoints.Of(index, d.Host, d.Subset, http.Vs.Namespace)).ToList();
            var allKnown = destinations.Length >= 2 && endpoints.All(e => e is not null);
            var readyTotal = allKnown
                ? destinations.Select((d, i) => (Key: (HostNames.Resolve(d.Host, http.Vs.Namespace), d.Subset), endpoints[i]!.Ready, Share: shares[i]))
                    .Where(p => p.Share > 0).DistinctBy(p => p.Key).Sum(p => p.Ready)
                : 0;
            for (var d = 0; d < destinations.Length; d++)
            {
                if (endpoints[d] is not { } e || shares[d] <= 0)
                {
                    continue;
                }
                var share = RoutingDescriber.Percent(shares[d]);
                var target = destinations[d].Subset is { } subset ? $"subset \"{subset}\" of {destinations[d].Host}" : destinations[d].Host;
                var pods = $"{e.Ready.ToString(CultureInfo.InvariantCulture)} of {e.Pods.ToString(CultureInfo.InvariantCulture)} pods ready";
                var field = $"{http.Field}.route[{d}]";
                if (e.Ready == 0)
                {
                    yield return http.Finding(Code, FindingSeverity.Error,
                        $"sends {share} of its traffic to {target}, which has no ready pods ({pods}); those requests fail with 503.", field);
                }
                else if (shares[d] >= 50 && e.Ready * 2 < e.Pods)
                {
                    yield return http.Finding(Code, FindingSeverity.Warning,
                        $"sends {share} of its traffic to {target}, but fewer than half its pods are ready ({pods}).", field);
                }
                else if (allKnown && readyTotal > 0 && 100.0 * e.Ready / readyTotal < shares[d] / 2)
                {
                    var part = RoutingDescriber.Percent(100.0 * e.Ready / readyTotal);
                    yield return http.Finding(Code, FindingSeverity.Warning,
                        $"sends {share} of its traffic to {target}, which has only {part} of the rule's ready pods ({pods}); each of them takes more than twice an even share.", field);
                }
            }
        }
    }
}
