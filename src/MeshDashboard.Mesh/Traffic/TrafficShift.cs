using System.Collections.Immutable;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Traffic;

/// <summary>
/// Which subsets a change to a VirtualService sends more traffic to: for each subset of the host, the sum over the
/// http rules of its share of the rule's routes (weight / sum of weights; a lone destination takes all), before and
/// after. The preview shows these subsets' current figures, so a person sees how the receiving side is doing.
/// </summary>
public static class TrafficShift
{
    public static ImmutableArray<string> SubsetsGaining(JsonObject? before, JsonObject? after, string fqdn)
    {
        var was = Shares(before, fqdn);
        var will = Shares(after, fqdn);
        return [.. will.Where(s => s.Value > was.GetValueOrDefault(s.Key) + 1e-9).Select(s => s.Key).Order(StringComparer.Ordinal)];
    }

    private static Dictionary<string, double> Shares(JsonObject? virtualService, string fqdn)
    {
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        if (virtualService is null)
        {
            return shares;
        }
        var ns = virtualService["metadata"].Str("namespace") ?? "";
        foreach (var rule in virtualService["spec"].Arr("http")?.OfType<JsonObject>() ?? [])
        {
            var routes = rule.Arr("route")?.OfType<JsonObject>().ToList() ?? [];
            var total = routes.Sum(r => Math.Max(0, r.Int("weight") ?? 0));
            foreach (var route in routes)
            {
                var destination = route.Obj("destination");
                if (destination.Str("subset") is not { } subset || HostNames.Resolve(destination.Str("host") ?? "", ns) != fqdn)
                {
                    continue;
                }
                var share = routes.Count == 1 ? 1.0 : total > 0 ? Math.Max(0, route.Int("weight") ?? 0) / (double)total : 0;
                shares[subset] = shares.GetValueOrDefault(subset) + share;
            }
        }
        return shares;
    }
}
