using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Mesh.Maps;

/// <summary>
/// The routing map of one service, left to right: where requests enter (each gateway with its hosts, and the mesh's
/// sidecars), the VirtualServices that take them, each one's rules in match order (the first that matches wins), and
/// where each rule sends them: the service's subsets (coloured by how many of their pods are ready), another host, or
/// an answer the proxy gives itself. A line's width follows its share; a mirror is a dashed line labelled "copy".
/// Box positions depend only on which boxes there are, so a change of weights or figures never moves anything.
/// </summary>
public static class RoutingMap
{
    // Column geometry, in SVG user units (px at 100%). The rule column is the widest: it carries the conditions.
    internal const double EntryX = 0, EntryWidth = 200;
    internal const double VsX = 250, VsWidth = 200;
    internal const double RuleX = 500, RuleWidth = 330;
    internal const double TargetX = 1020, TargetWidth = 230;
    internal const double Gap = 14, GroupGap = 26;
    internal const double TitleHeight = 20, LineHeight = 16, Padding = 8, BadgeHeight = 18, BadgeGap = 4;

    // Characters per line at the map's 12px font (about 6.6px a character, less padding).
    private static int CharsFor(double width) => (int)((width - 2 * Padding) / 6.6);

    /// <summary>The map of <paramref name="service"/>; <paramref name="traffic"/> adds live figures to subsets and lines.</summary>
    public static MapLayout Build(MeshService service, ServiceTraffic? traffic = null)
    {
        var live = traffic is { Availability: TrafficAvailability.Live } ? traffic : null;
        var entries = new List<(string Id, string Title, List<string> Hosts, string Description)>();
        var vsNodes = new List<MapNode>();
        var ruleGroups = new List<List<MapNode>>();
        var targets = new List<MapNode>();
        var edges = new List<MapEdge>();
        var editable = service.MeshRoute?.VirtualService;

        // Where the service's own subsets go: defined ones in DestinationRule order first, so their order never depends on the routes.
        foreach (var subset in service.Subsets.DistinctBy(s => s.Name))
        {
            targets.Add(SubsetNode(subset.Name, subset.Pods, subset.ReadyPods, defined: true, live?.Subset(subset.Name)?.Figures));
        }

        foreach (var route in service.Routes)
        {
            var vs = route.VirtualService;
            var vsId = $"vs:{vs.Namespace}/{vs.Name}";
            vsNodes.Add(Box(vsId, MapNodeKind.VirtualService, vs.Name, $"hosts: {string.Join(", ", vs.Hosts)}", VsWidth, 2) with
            {
                Description = $"VirtualService {vs.Name} for {string.Join(", ", vs.Hosts)}",
            });

            if (vs.AppliesToMesh)
            {
                var mesh = Entry("entry:mesh", "Inside the mesh", "Requests from other pods, through their sidecars");
                mesh.Hosts.AddRange(vs.Hosts.Where(h => !mesh.Hosts.Contains(h)));
                edges.Add(new MapEdge($"{mesh.Id}->{vsId}", mesh.Id, vsId, MapEdgeKind.Link, 1.5, null, MapTone.Neutral));
            }
            foreach (var gateway in vs.Gateways.Where(g => g != "mesh"))
            {
                var key = gateway.Contains('/', StringComparison.Ordinal) ? gateway : $"{vs.Namespace}/{gateway}";
                var entry = Entry($"entry:gw:{key}", $"Gateway {key.Split('/')[1]}", $"Requests arriving at gateway {key}");
                entry.Hosts.AddRange(vs.Hosts.Where(h => !entry.Hosts.Contains(h)));
                edges.Add(new MapEdge($"{entry.Id}->{vsId}", entry.Id, vsId, MapEdgeKind.Link, 1.5, null, MapTone.Neutral));
            }

            var rules = new List<MapNode>();
            var caughtAll = false;
            foreach (var rule in vs.Http)
            {
                var id = $"rule:{vs.Namespace}/{vs.Name}/http/{rule.Index}";
                rules.Add(RuleNode(id, service, vs, rule, caughtAll, ReferenceEquals(vs, editable) || (editable is not null && vs.Source.Ref == editable.Source.Ref)));
                edges.Add(new MapEdge($"{vsId}->{id}", vsId, id, MapEdgeKind.Link, 1.5, null, MapTone.Neutral));
                AddRuleEdges(id, rule, vs, service, targets, edges);
                caughtAll |= rule.IsCatchAll;
            }
            foreach (var l4 in vs.Tcp.Concat(vs.Tls))
            {
                var id = $"rule:{vs.Namespace}/{vs.Name}/{l4.Protocol.ToLowerInvariant()}/{l4.Index}";
                var who = l4.Conditions.IsEmpty ? "every connection" : "connections " + string.Join(" or ", l4.Conditions);
                var names = l4.Destinations.Select(d => HostNames.Resolve(d.Host, vs.Namespace) == service.Fqdn ? d.Subset ?? $"any pod of {service.Name}" : d.Host).ToList();
                var shares = l4.Destinations.Length == 1 ? names[0] : string.Join(", ", names.Select((n, i) => $"{RoutingDescriber.Percent(l4.EffectivePercentages[i])} {n}"));
                rules.Add(Box(id, MapNodeKind.Rule, $"{l4.Protocol} route {l4.Index + 1}", who, RuleWidth, 3) with
                {
                    Description = $"{l4.Protocol} route {l4.Index + 1} of {vs.Name}: {who} → {shares}",
                });
                edges.Add(new MapEdge($"{vsId}->{id}", vsId, id, MapEdgeKind.Link, 1.5, null, MapTone.Neutral));
                var percentages = l4.EffectivePercentages;
                for (var i = 0; i < l4.Destinations.Length; i++)
                {
                    var target = Target(l4.Destinations[i], vs, service, targets);
                    edges.Add(RouteEdge(id, target.Id, percentages[i]));
                }
            }
            ruleGroups.Add(rules);
        }

        var entryNodes = entries.Select(e => Box(e.Id, MapNodeKind.Entry, e.Title, "hosts: " + string.Join(", ", e.Hosts), EntryWidth, 3) with
        {
            Description = $"{e.Description}, for {string.Join(", ", e.Hosts)}",
        }).ToList();

        edges = [.. WithLiveFigures(Merged(edges), live)];
        return Place(entryNodes, vsNodes, ruleGroups, targets, edges);

        (string Id, string Title, List<string> Hosts, string Description) Entry(string id, string title, string description)
        {
            var existing = entries.FirstOrDefault(e => e.Id == id);
            if (existing.Id is null)
            {
                existing = (id, title, [], description);
                // The mesh first, then gateways in the order the routes name them.
                entries.Insert(id == "entry:mesh" ? 0 : entries.Count, existing);
            }
            return existing;
        }
    }

    private static MapNode RuleNode(string id, MeshService service, VirtualServiceView vs, HttpRouteView rule, bool afterCatchAll, bool editable)
    {
        var anyEarlierConditional = vs.Http.Take(rule.Index).Any(r => !r.IsCatchAll);
        var who = rule.IsCatchAll
            ? (anyEarlierConditional ? "everyone else (the fallback)" : "every request")
            : string.Join(" — or when ", rule.Matches.Select(MapConditions.Describe));
        var title = string.IsNullOrEmpty(rule.Name) ? $"Rule {rule.Index + 1}" : $"Rule {rule.Index + 1} · {rule.Name}";
        var badges = new List<MapBadge>();
        if (afterCatchAll)
        {
            badges.Add(new MapBadge("never reached", MapTone.Warning));
        }
        if (rule.Fault is { } fault)
        {
            badges.Add(new MapBadge("fault:" + RoutingDescriber.FaultText(fault).Trim(' ', '(', ')').Insert(0, " "), MapTone.Bad));
        }
        if (rule.Timeout is { } timeout)
        {
            badges.Add(new MapBadge($"timeout {timeout}", MapTone.Neutral));
        }
        if (rule.Retries is { } retries)
        {
            badges.Add(new MapBadge(retries.Describe(), MapTone.Neutral));
        }
        foreach (var action in rule.OtherActions.Where(a => a.StartsWith("rewrites", StringComparison.Ordinal) || a.StartsWith("changes", StringComparison.Ordinal)
            || a.StartsWith("applies", StringComparison.Ordinal)))
        {
            badges.Add(new MapBadge(action, MapTone.Neutral));
        }
        string DestinationName(RouteDestinationView d) =>
            HostNames.Resolve(d.Host, vs.Namespace) == service.Fqdn ? d.Subset ?? $"any pod of {service.Name}" : d.Host;
        var condition = (rule.IsCatchAll ? "" : "when ") + who;
        var words = $"{condition} → {RoutingDescriber.Targets(rule, DestinationName)}{RoutingDescriber.FaultText(rule.Fault)}{RoutingDescriber.Extras(rule, DestinationName)}";
        var node = Box(id, MapNodeKind.Rule, title, condition, RuleWidth, 4) with
        {
            Description = $"{title} of {vs.Name}{(afterCatchAll ? " (never reached: an earlier rule takes every request)" : "")}: {words}",
            EditableRule = editable ? rule.Index : null,
        };
        return WithBadges(node, badges);
    }

    private static void AddRuleEdges(string ruleId, HttpRouteView rule, VirtualServiceView vs, MeshService service, List<MapNode> targets, List<MapEdge> edges)
    {
        if (rule.HasRedirect || rule.HasDirectResponse || rule.HasDelegate)
        {
            var action = RoutingDescriber.Targets(rule, _ => "");
            var id = "elsewhere:" + action;
            if (targets.All(t => t.Id != id))
            {
                targets.Add(Box(id, MapNodeKind.Elsewhere, "Not sent to a pod", action, TargetWidth, 3) with { Description = $"Not sent to a pod: {action}" });
            }
            edges.Add(new MapEdge($"{ruleId}->{id}", ruleId, id, MapEdgeKind.Route, 6, action.Split(' ')[0], MapTone.Neutral) { Percent = 100 });
            return;
        }
        var percentages = rule.EffectivePercentages;
        for (var i = 0; i < rule.Destinations.Length; i++)
        {
            var target = Target(rule.Destinations[i], vs, service, targets);
            edges.Add(RouteEdge(ruleId, target.Id, percentages[i]));
        }
        foreach (var mirror in rule.Mirrors)
        {
            var target = Target(mirror.Destination, vs, service, targets);
            edges.Add(new MapEdge($"{ruleId}~>{target.Id}", ruleId, target.Id, MapEdgeKind.Mirror, 1.5, $"copy {RoutingDescriber.Percent(mirror.Percent)}", MapTone.Neutral)
            {
                Percent = mirror.Percent,
                Description = $"a copy of {RoutingDescriber.Percent(mirror.Percent)} of these requests goes to {target.Title}; its answers are discarded",
            });
        }
    }

    /// <summary>
    /// One line per pair of boxes and kind: a rule that names one subset twice (two ports, or a mirror listed twice, or
    /// a gateway named both with and without its namespace) draws one line carrying the sum of the shares.
    /// </summary>
    private static List<MapEdge> Merged(List<MapEdge> edges) =>
    [
        .. edges.GroupBy(e => e.Id).Select(g => g.Count() == 1 || g.First().Kind != MapEdgeKind.Route
            ? g.First()
            : RouteEdge(g.First().From, g.First().To, g.Sum(e => e.Percent ?? 0))),
    ];

    /// <summary>A rule's share to one destination: 1.5 units wide at 0%, growing to 13.5 at 100%.</summary>
    private static MapEdge RouteEdge(string from, string to, double percent) =>
        new($"{from}->{to}", from, to, MapEdgeKind.Route, percent <= 0 ? 1 : 1.5 + 12 * percent / 100, RoutingDescriber.Percent(percent), percent <= 0 ? MapTone.Idle : MapTone.Neutral)
        {
            Percent = percent,
        };

    /// <summary>The box a destination lands on: one of the service's subsets, its pods at large, or another host.</summary>
    private static MapNode Target(RouteDestinationView destination, VirtualServiceView vs, MeshService service, List<MapNode> targets)
    {
        var host = HostNames.Resolve(destination.Host, vs.Namespace);
        if (host != service.Fqdn)
        {
            var id = $"host:{host}{(destination.Subset is null ? "" : "/" + destination.Subset)}";
            var existing = targets.FirstOrDefault(t => t.Id == id);
            if (existing is null)
            {
                var title = destination.Subset is null ? destination.Host : $"{destination.Host} · {destination.Subset}";
                existing = Box(id, MapNodeKind.Elsewhere, title, "another service or host", TargetWidth, 2) with { Description = $"{title}, another service or host" };
                targets.Add(existing);
            }
            return existing;
        }
        var subsetId = "subset:" + (destination.Subset ?? "");
        var found = targets.FirstOrDefault(t => t.Id == subsetId);
        if (found is null)
        {
            found = destination.Subset is null
                ? SubsetNode(null, service.Pods, service.ReadyPods, defined: true, null)
                : SubsetNode(destination.Subset, 0, 0, defined: false, null);
            targets.Add(found);
        }
        return found;
    }

    private static MapNode SubsetNode(string? name, int pods, int ready, bool defined, TrafficFigures? figures)
    {
        var tone = !defined || ready == 0 ? MapTone.Bad : ready < pods ? MapTone.Warning : MapTone.Good;
        var readiness = !defined ? "not defined in any DestinationRule: requests fail with 503"
            : pods == 0 ? "no pods selected"
            : $"{ready}/{pods} pods ready";
        var live = figures is { RequestsPerSecond: > 0 } f ? MapText.Rate(f.RequestsPerSecond) + (f.ErrorRate is { } e ? " · " + MapText.Errors(e) : "") : null;
        ImmutableArray<string> lines = [.. MapText.Wrap(readiness, CharsFor(TargetWidth), 3), .. live is null ? [] : new[] { live }];
        return new MapNode("subset:" + (name ?? ""), MapNodeKind.Subset, name ?? "all pods (no subset)", lines, tone, 0, 0, TargetWidth, Height(lines.Length, 0))
        {
            Subset = name,
            Description = $"{(name is null ? "All pods of the service" : "Subset " + name)}: {readiness}{(live is null ? "" : ", now " + live)}",
        };
    }

    /// <summary>
    /// Live figures on the lines into a subset: the subset's measured requests flow on its one line when a single rule
    /// sends it traffic (with several, nobody can tell which rule's requests they were, so they stay on the box).
    /// </summary>
    private static IEnumerable<MapEdge> WithLiveFigures(List<MapEdge> edges, ServiceTraffic? live)
    {
        var feeding = edges.Where(e => e.Kind == MapEdgeKind.Route && e.Percent > 0).GroupBy(e => e.To).ToDictionary(g => g.Key, g => g.Count());
        foreach (var edge in edges)
        {
            if (live is not null && edge.Kind == MapEdgeKind.Route && edge.Percent > 0 && edge.To.StartsWith("subset:", StringComparison.Ordinal)
                && feeding[edge.To] == 1 && live.Subset(edge.To["subset:".Length..])?.Figures is { RequestsPerSecond: > 0 } figures)
            {
                yield return edge with
                {
                    RequestsPerSecond = figures.RequestsPerSecond,
                    ErrorRate = figures.ErrorRate,
                    Label = $"{edge.Label} · {MapText.Rate(figures.RequestsPerSecond)}{(figures.ErrorRate is > 0 and var e ? " · " + MapText.Errors(e) : "")}",
                    Tone = MapText.ToneOfErrors(figures.ErrorRate),
                };
            }
            else
            {
                yield return edge;
            }
        }
    }

    private static MapNode Box(string id, MapNodeKind kind, string title, string text, double width, int maxLines)
    {
        var lines = text.Length == 0 ? [] : MapText.Wrap(text, CharsFor(width), maxLines);
        return new MapNode(id, kind, title, lines, MapTone.Neutral, 0, 0, width, Height(lines.Length, 0));
    }

    private static double Height(int lines, double badgeRows) =>
        Padding + TitleHeight + lines * LineHeight + badgeRows * (BadgeHeight + BadgeGap) + Padding;

    /// <summary>Places badges in rows inside the box, each as wide as its text, and grows the box to hold them.</summary>
    private static MapNode WithBadges(MapNode node, List<MapBadge> badges)
    {
        if (badges.Count == 0)
        {
            return node;
        }
        var placed = new List<MapBadge>();
        var rows = 1;
        var x = Padding;
        var top = Padding + TitleHeight + node.Lines.Length * LineHeight + BadgeGap;
        foreach (var badge in badges)
        {
            var text = badge.Text.Length > CharsFor(node.Width) - 2 ? badge.Text[..(CharsFor(node.Width) - 3)] + "…" : badge.Text;
            var width = text.Length * 6.2 + 14;
            if (x + width > node.Width - Padding && x > Padding)
            {
                rows++;
                x = Padding;
            }
            placed.Add(badge with { Text = text, X = x, Y = top + (rows - 1) * (BadgeHeight + BadgeGap), Width = width });
            x += width + BadgeGap;
        }
        return node with
        {
            Badges = [.. placed],
            Height = Height(node.Lines.Length, rows),
        };
    }

    /// <summary>
    /// Stacks each column from the top: rules grouped by VirtualService in route order, each VirtualService beside the
    /// middle of its rules, entries and destinations from the top.
    /// </summary>
    private static MapLayout Place(List<MapNode> entries, List<MapNode> vss, List<List<MapNode>> ruleGroups, List<MapNode> targets, List<MapEdge> edges)
    {
        var nodes = new List<MapNode>();
        var y = 0.0;
        var vsBottom = -Gap;
        for (var g = 0; g < vss.Count; g++)
        {
            var groupTop = y;
            foreach (var rule in ruleGroups[g])
            {
                nodes.Add(rule with { X = RuleX, Y = y });
                y += rule.Height + Gap;
            }
            var groupBottom = ruleGroups[g].Count == 0 ? groupTop + vss[g].Height : y - Gap;
            var vsY = Math.Max(vsBottom + Gap, (groupTop + groupBottom) / 2 - vss[g].Height / 2);
            nodes.Add(vss[g] with { X = VsX, Y = vsY });
            vsBottom = vsY + vss[g].Height;
            y = Math.Max(y, vsBottom + Gap) + GroupGap - Gap;
        }
        var middleHeight = Math.Max(y - GroupGap, vsBottom);
        var height = Math.Max(middleHeight, Math.Max(Stack(entries), Stack(targets)));
        nodes.AddRange(FromTop(entries, EntryX));
        nodes.AddRange(FromTop(targets, TargetX));
        var width = TargetX + TargetWidth + 2;
        return new MapLayout(width, height + 2, [.. nodes], MapLayout.Route(nodes, edges));
    }

    private static double Stack(List<MapNode> column) => column.Sum(n => n.Height) + Math.Max(0, column.Count - 1) * Gap;

    // From the top rather than centred: a rule that grows (a new badge) must not move the subsets or entries.
    private static IEnumerable<MapNode> FromTop(List<MapNode> column, double x)
    {
        var y = 0.0;
        foreach (var node in column)
        {
            yield return node with { X = x, Y = y };
            y += node.Height + Gap;
        }
    }
}
