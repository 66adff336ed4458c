using System.Collections.Immutable;

namespace MeshDashboard.Mesh.Maps;

/// <summary>
/// A routing map in sentences, in the order a request meets it: where requests enter, then each VirtualService's rules
/// in match order (each says who it catches and where they go, with shares and copies), then the subsets' readiness.
/// The map's text alternative, and the quickest way to read it for anyone.
/// </summary>
public static class RoutingMapWords
{
    public static ImmutableArray<string> Of(MapLayout layout)
    {
        var sentences = new List<string>();
        foreach (var entry in layout.Nodes.Where(n => n.Kind == MapNodeKind.Entry))
        {
            var targets = layout.EdgesFrom(entry.Id).Select(e => layout.Node(e.To)?.Title).OfType<string>();
            sentences.Add($"{entry.Description}: taken by VirtualService {string.Join(", ", targets)}.");
        }
        foreach (var vs in layout.Nodes.Where(n => n.Kind == MapNodeKind.VirtualService))
        {
            var rules = layout.EdgesFrom(vs.Id).Select(e => layout.Node(e.To)).OfType<MapNode>().Where(n => n.Kind == MapNodeKind.Rule).ToList();
            if (rules.Count == 0)
            {
                sentences.Add($"{vs.Description} has no rules.");
            }
            foreach (var rule in rules)
            {
                sentences.Add(rule.Description + ".");
            }
        }
        foreach (var target in layout.Nodes.Where(n => n.Kind is MapNodeKind.Subset or MapNodeKind.Elsewhere))
        {
            var share = layout.EdgesTo(target.Id).Any(e => e.Kind == MapEdgeKind.Route && e.Percent > 0) ? ""
                : layout.EdgesTo(target.Id).Any(e => e.Kind == MapEdgeKind.Mirror) ? " It receives copies only."
                : " No rule sends it requests.";
            sentences.Add(target.Description + "." + share);
        }
        return [.. sentences];
    }
}
