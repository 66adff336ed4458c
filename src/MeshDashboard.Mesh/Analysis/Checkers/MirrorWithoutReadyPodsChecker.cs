using System.Globalization;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD016 (warning): a rule mirrors (<c>mirror</c>, or an entry of <c>mirrors</c>) to a destination that cannot take the
/// copies: a cluster-local host with no Service, a subset no DestinationRule defines, or pods of which none is ready.
/// Mirroring is fire-and-forget, so the live traffic is unaffected; the shadow simply receives nothing, which is easy to
/// mistake for "the new version handles everything fine". A Service without a selector (endpoints by hand) is not judged,
/// nor a mirror whose percentage is 0 (it mirrors nothing anyway).
/// </summary>
internal sealed class MirrorWithoutReadyPodsChecker : IChecker
{
    public string Code => FindingCodes.MirrorWithoutReadyPods;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            var mirrors = new List<(JsonObject? Destination, string Field)>();
            if (http.Raw["mirror"] is JsonObject mirror && http.Raw.Obj("mirrorPercentage").Number("value") is not 0)
            {
                mirrors.Add((mirror, http.Field + ".mirror"));
            }
            var list = http.Raw.Arr("mirrors") ?? [];
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].Obj("percentage").Number("value") is not 0)
                {
                    mirrors.Add((list[i].Obj("destination"), $"{http.Field}.mirrors[{i}].destination"));
                }
            }
            foreach (var (destination, field) in mirrors)
            {
                if (destination.Str("host") is not { Length: > 0 } host)
                {
                    continue;
                }
                if (Problem(index, host, destination.Str("subset"), http.Vs.Namespace) is { } problem)
                {
                    yield return http.Finding(Code, FindingSeverity.Warning, $"mirrors to {problem}; no copy is served (live traffic is unaffected).", field);
                }
            }
        }
    }

    private static string? Problem(MeshIndex index, string host, string? subset, string ns)
    {
        var fqdn = HostNames.Resolve(host, ns);
        if (!fqdn.EndsWith(".svc." + HostNames.ClusterDomain, StringComparison.Ordinal))
        {
            return null;
        }
        if (!index.ServiceExists(fqdn))
        {
            return $"{host}, but no such Service exists";
        }
        if (subset is not null && !index.DestinationRulesFor(fqdn).SelectMany(dr => dr.Subsets).Any(s => s.Name == subset))
        {
            return $"subset \"{subset}\" of {host}, which no DestinationRule defines";
        }
        var target = subset is null ? host : $"subset \"{subset}\" of {host}";
        return Endpoints.Of(index, host, subset, ns) is { Ready: 0 } e
            ? $"{target}, which has no ready pods (0 of {e.Pods.ToString(CultureInfo.InvariantCulture)} pods ready)"
            : null;
    }
}
