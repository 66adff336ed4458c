using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Mesh.Maps;

/// <summary>
/// What the mesh map shows: which namespaces are opened up into their services, which namespaces are shown at all
/// (empty: every one), and a search over service and namespace names.
/// </summary>
public sealed record MeshMapView
{
    public ImmutableHashSet<string> Expanded { get; init; } = [];

    public ImmutableHashSet<string> Namespaces { get; init; } = [];

    public string Search { get; init; } = "";

    public static MeshMapView Default { get; } = new();

    public MeshMapView Toggle(string ns) => this with { Expanded = Expanded.Contains(ns) ? Expanded.Remove(ns) : Expanded.Add(ns) };
}

/// <summary>
/// The mesh map: services as boxes grouped by namespace, lines from each caller to each service it calls, as wide as
/// the request rate and coloured by the share of errors. It starts with one box per namespace (the lines between them
/// summed), so a mesh of thousands of services draws a few dozen boxes; a namespace opens into its services on demand.
/// Boxes are placed by name only, never by traffic, so figures can change every few seconds without moving anything.
/// </summary>
public static class MeshMap
{
    internal const double NamespaceWidth = 210, NamespaceHeight = 64;
    internal const double ServiceWidth = 200, ServiceHeight = 56, ColumnGap = 150;
    internal const double Gap = 40, Inner = 12, Header = 48, MaxRowWidth = 1500;

    /// <summary>An expanded namespace shows at most this many boxes; the rest are one search away.</summary>
    public const int MaxServicesPerNamespace = 300;

    /// <summary>More lines than this are drawn as the busiest ones; the text alternative says how many were left out.</summary>
    public const int MaxEdges = 400;

    public static MapLayout Build(IEnumerable<MeshService> services, IEnumerable<TrafficEdge> traffic, MeshMapView view)
    {
        var search = view.Search.Trim();
        var byNamespace = services.GroupBy(s => s.Namespace, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Name, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var edges = traffic.Where(e => e.Figures.RequestsPerSecond > 0).ToList();
        // Callers that are no service (a job, a load generator) still belong to a namespace and appear there.
        foreach (var ns in edges.Select(e => e.SourceNamespace).Where(ns => !byNamespace.ContainsKey(ns)).Distinct().ToList())
        {
            byNamespace[ns] = [];
        }
        var inbound = edges.GroupBy(e => (e.DestinationNamespace, e.DestinationName)).ToDictionary(g => g.Key, g => Sum(g.Select(e => e.Figures)));

        bool Matches(string text) => search.Length == 0 || text.Contains(search, StringComparison.OrdinalIgnoreCase);
        var shown = byNamespace.Keys
            .Where(ns => view.Namespaces.IsEmpty || view.Namespaces.Contains(ns))
            .Where(ns => Matches(ns) || byNamespace[ns].Any(s => Matches(s.Name)))
            .OrderBy(ns => ns, StringComparer.Ordinal)
            .ToList();
        // A search that finds services opens their namespaces, so what was searched for is on screen.
        var expanded = view.Expanded.Union(search.Length == 0 ? [] : shown.Where(ns => !Matches(ns)));

        var nodes = new List<MapNode>();
        var endpoint = new Dictionary<(string Namespace, string Name), string>();
        double x = 0, y = 0, rowHeight = 0, width = 0;
        foreach (var ns in shown)
        {
            var all = byNamespace[ns];
            var nsFigures = Sum(all.Select(s => inbound.GetValueOrDefault((s.Namespace, s.Name))).OfType<TrafficFigures>());
            var open = expanded.Contains(ns);
            var members = open
                ? all.Where(s => Matches(ns) || Matches(s.Name)).Select(s => (s.Name, IsService: true, s.ReadyPods, s.Pods))
                    .Concat(edges.Where(e => e.SourceNamespace == ns && !e.SourceIsService).Select(e => e.SourceName).Where(w => Matches(ns) || Matches(w)).Distinct().Order(StringComparer.Ordinal)
                        .Select(w => (Name: w, IsService: false, ReadyPods: 0, Pods: 0)))
                    .ToList()
                : [];
            var hidden = Math.Max(0, members.Count - MaxServicesPerNamespace);
            members = [.. members.Take(MaxServicesPerNamespace)];
            var slots = open ? Slots(ns, members.Select(m => m.Name).ToList(), edges) : [];
            var columns = slots.Count == 0 ? 1 : slots.Max(p => p.Column) + 1;
            var rows = slots.Count == 0 ? 1 : slots.Max(p => p.Row) + 1;
            var boxWidth = open ? Math.Max(NamespaceWidth, Inner + columns * ServiceWidth + (columns - 1) * ColumnGap + Inner) : NamespaceWidth;
            var boxHeight = open ? Header + rows * (ServiceHeight + Inner) + Inner : NamespaceHeight;
            if (x > 0 && x + boxWidth > MaxRowWidth)
            {
                x = 0;
                y += rowHeight + Gap;
                rowHeight = 0;
            }
            var count = all.Count == 1 ? "1 service" : $"{all.Count} services";
            var text = $"{count} · {Figures(nsFigures)}{(hidden > 0 ? $" · {hidden} more not drawn: search to find them" : "")}";
            ImmutableArray<string> nsLines = hidden > 0 || open ? MapText.Wrap(text, (int)(boxWidth / 6.8), 2) : [count, Figures(nsFigures)];
            var nsId = "ns:" + ns;
            nodes.Add(new MapNode(nsId, MapNodeKind.Namespace, ns, nsLines, MapText.ToneOfErrors(nsFigures?.ErrorRate), x, y, boxWidth, boxHeight)
            {
                Namespace = ns,
                Expanded = open,
                Description = $"Namespace {ns}: {text}. {(open ? "Open: its services are drawn inside it" : "Closed: activate to show its services")}",
            });
            foreach (var service in all)
            {
                endpoint[(ns, service.Name)] = nsId;
            }
            endpoint.TryAdd((ns, ""), nsId);
            for (var i = 0; i < members.Count; i++)
            {
                var (name, isService, ready, pods) = members[i];
                var figures = inbound.GetValueOrDefault((ns, name));
                var id = (isService ? "svc:" : "wl:") + ns + "/" + name;
                var line = isService ? $"{ready}/{pods} pods ready · {Figures(figures)}" : "calls others (not a service)";
                ImmutableArray<string> boxLines = isService ? [$"{ready}/{pods} pods ready", Figures(figures)] : ["calls others (not a service)"];
                nodes.Add(new MapNode(id, isService ? MapNodeKind.Service : MapNodeKind.Workload, name, boxLines,
                    isService ? MapText.ToneOfErrors(figures?.ErrorRate) : MapTone.Neutral,
                    x + Inner + slots[i].Column * (ServiceWidth + ColumnGap), y + Header + slots[i].Row * (ServiceHeight + Inner), ServiceWidth, ServiceHeight)
                {
                    Namespace = ns,
                    Name = name,
                    Description = isService ? $"Service {name} in {ns}: {line}" : $"Workload {name} in {ns}, which calls services but is no service",
                });
                endpoint[(ns, name)] = id;
            }
            x += boxWidth + Gap;
            rowHeight = Math.Max(rowHeight, boxHeight);
            width = Math.Max(width, x - Gap);
        }

        var lines = edges
            .Select(e => (From: endpoint.GetValueOrDefault((e.SourceNamespace, e.SourceName)) ?? endpoint.GetValueOrDefault((e.SourceNamespace, "")),
                To: endpoint.GetValueOrDefault((e.DestinationNamespace, e.DestinationName)), e.Figures))
            .Where(e => e.From is not null && e.To is not null && e.From != e.To)
            .GroupBy(e => (e.From!, e.To!))
            .Select(g => (g.Key.Item1, g.Key.Item2, Figures: Sum(g.Select(e => e.Figures))!))
            .OrderByDescending(e => e.Figures.RequestsPerSecond)
            .ThenBy(e => e.Item1, StringComparer.Ordinal)
            .ThenBy(e => e.Item2, StringComparer.Ordinal)
            .Take(MaxEdges)
            .Select(e => new MapEdge($"{e.Item1}->{e.Item2}", e.Item1, e.Item2, MapEdgeKind.Traffic,
                Math.Clamp(1 + 2 * Math.Log10(1 + e.Figures.RequestsPerSecond), 1, 10), Figures(e.Figures), MapText.ToneOfErrors(e.Figures.ErrorRate))
            {
                RequestsPerSecond = e.Figures.RequestsPerSecond,
                ErrorRate = e.Figures.ErrorRate,
                Description = $"{Title(e.Item1)} calls {Title(e.Item2)}: {Figures(e.Figures)}",
            })
            .ToList();
        // Labels mid-way: lines here run between columns of equal boxes, and the middle of the gap is free.
        return new MapLayout(width + 40, y + rowHeight + 2, [.. nodes], MapLayout.Route(nodes, lines, labelAt: 0.5));
    }

    /// <summary>
    /// Where each member of an open namespace sits: callers left of what they call (column = the longest chain of calls
    /// inside the namespace that leads to it), by name within a column, and a column taller than its share wraps into
    /// the next. Only who calls whom decides places, never how much, so changing rates move nothing.
    /// </summary>
    internal static List<(int Column, int Row)> Slots(string ns, List<string> members, List<TrafficEdge> edges)
    {
        var index = members.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);
        var inside = edges.Where(e => e.SourceNamespace == ns && e.DestinationNamespace == ns && e.SourceName != e.DestinationName
                && index.ContainsKey(e.SourceName) && index.ContainsKey(e.DestinationName))
            .Select(e => (From: index[e.SourceName], To: index[e.DestinationName])).Distinct().ToList();
        var rank = new int[members.Count];
        // Longest path by relaxation; a cycle stops growing after as many rounds as there are members.
        for (var round = 0; round < members.Count; round++)
        {
            var changed = false;
            foreach (var (from, to) in inside)
            {
                if (rank[to] < rank[from] + 1 && rank[from] + 1 < members.Count)
                {
                    rank[to] = rank[from] + 1;
                    changed = true;
                }
            }
            if (!changed)
            {
                break;
            }
        }
        var perColumn = Math.Max(6, (int)Math.Ceiling(Math.Sqrt(members.Count)));
        var slots = new (int Column, int Row)[members.Count];
        var column = 0;
        foreach (var layer in Enumerable.Range(0, members.Count).GroupBy(i => rank[i]).OrderBy(g => g.Key))
        {
            var ordered = layer.OrderBy(i => members[i], StringComparer.Ordinal).ToList();
            for (var k = 0; k < ordered.Count; k++)
            {
                slots[ordered[k]] = (column + k / perColumn, k % perColumn);
            }
            column += (ordered.Count + perColumn - 1) / perColumn;
        }
        return [.. slots];
    }

    private static string Title(string id) => id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..];

    private static string Figures(TrafficFigures? figures) =>
        figures is not { RequestsPerSecond: > 0 } f ? "no requests" : MapText.Rate(f.RequestsPerSecond) + (f.ErrorRate is { } e ? " · " + MapText.Errors(e) : "");

    /// <summary>Rates add up; success is weighted by each part's rate. Latencies cannot be added and are left out.</summary>
    internal static TrafficFigures? Sum(IEnumerable<TrafficFigures?> parts)
    {
        double total = 0, succeeded = 0;
        foreach (var part in parts)
        {
            if (part is { RequestsPerSecond: > 0 } p)
            {
                total += p.RequestsPerSecond;
                succeeded += p.RequestsPerSecond * (p.SuccessRate ?? 1);
            }
        }
        return total <= 0 ? null : new TrafficFigures(total, succeeded / total, null, null, null);
    }
}

/// <summary>
/// Requests from one caller to one service over a window: the caller as Istio labels it (<c>source_workload</c> in
/// <c>source_workload_namespace</c>), resolved to the service whose pods it runs when there is one.
/// </summary>
public sealed record TrafficEdge(string SourceNamespace, string SourceName, bool SourceIsService, string DestinationNamespace, string DestinationName, TrafficFigures Figures);
