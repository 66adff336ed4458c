using System.Collections.Immutable;
using System.Globalization;

namespace MeshDashboard.Mesh.Maps;

/// <summary>What a box on a map stands for; the page decides from it what activating the box does.</summary>
public enum MapNodeKind
{
    /// <summary>Where requests enter: a gateway (with its hosts) or the mesh's sidecars.</summary>
    Entry,
    VirtualService,
    /// <summary>One route of a VirtualService, in match order.</summary>
    Rule,
    /// <summary>A DestinationRule subset (or "all pods" of the service when a route names no subset).</summary>
    Subset,
    /// <summary>Where a rule sends requests that is not this service's pods: another host, a redirect, a direct answer.</summary>
    Elsewhere,
    /// <summary>A namespace of the mesh map, drawn as one box until it is expanded.</summary>
    Namespace,
    Service,
    /// <summary>A calling workload that is no service's pod (a job, a load generator): it only appears as a source.</summary>
    Workload,
}

/// <summary>How a box or line reads at a glance; every tone is also said in words beside it (colour is never the only sign).</summary>
public enum MapTone
{
    Neutral,
    Good,
    Warning,
    Bad,
    /// <summary>Nothing flows (weight 0, no requests).</summary>
    Idle,
}

public enum MapEdgeKind
{
    /// <summary>Entry point to VirtualService, VirtualService to its rules: structure, not a share.</summary>
    Link,
    /// <summary>A rule's share of requests to a destination; width follows the share.</summary>
    Route,
    /// <summary>A copy of the requests (shadowing): dashed, labelled "copy", never a share.</summary>
    Mirror,
    /// <summary>Measured requests from a source to a destination; width follows the rate.</summary>
    Traffic,
}

/// <summary>A short word on a rule (a fault, a timeout, retries, "never reached"), placed inside its box.</summary>
public sealed record MapBadge(string Text, MapTone Tone)
{
    /// <summary>Offsets from the box's top-left corner, and the badge's width.</summary>
    public double X { get; init; }

    public double Y { get; init; }

    public double Width { get; init; }
}

/// <summary>
/// One box of a map, positioned: <see cref="X"/>/<see cref="Y"/> is its top-left corner. <see cref="Lines"/> are
/// already wrapped to the box's width; <see cref="Description"/> is the whole of it in one sentence for screen readers.
/// </summary>
public sealed record MapNode(string Id, MapNodeKind Kind, string Title, ImmutableArray<string> Lines, MapTone Tone, double X, double Y, double Width, double Height)
{
    public ImmutableArray<MapBadge> Badges { get; init; } = [];

    public string Description { get; init; } = "";

    /// <summary>The HTTP rule's index in its VirtualService's <c>spec.http</c>, for rules the rule editor edits; null otherwise.</summary>
    public int? EditableRule { get; init; }

    /// <summary>The subset a Subset box stands for (null: the service's pods without a subset).</summary>
    public string? Subset { get; init; }

    /// <summary>The namespace of a Namespace, Service or Workload box.</summary>
    public string? Namespace { get; init; }

    /// <summary>The name of a Service or Workload box.</summary>
    public string? Name { get; init; }

    /// <summary>A Namespace box that shows its services inside it.</summary>
    public bool Expanded { get; init; }

    public double CenterY => Y + Height / 2;

    public double Right => X + Width;

    public double Bottom => Y + Height;
}

/// <summary>
/// One line of a map from the right side of one box to the left side of another (or, when the target lies left or at
/// the same column, between their nearest sides), with its width and label already decided.
/// </summary>
public sealed record MapEdge(string Id, string From, string To, MapEdgeKind Kind, double Width, string? Label, MapTone Tone)
{
    /// <summary>The share this line carries, in percent (Route and Mirror); null for other kinds.</summary>
    public double? Percent { get; init; }

    /// <summary>Requests per second on this line, when metrics are available.</summary>
    public double? RequestsPerSecond { get; init; }

    public double? ErrorRate { get; init; }

    /// <summary>The SVG path (a cubic curve), set by <see cref="MapLayout.Route"/>.</summary>
    public string Path { get; init; } = "";

    public double LabelX { get; init; }

    public double LabelY { get; init; }

    /// <summary>The line in words, for the text alternative and the line's own tooltip.</summary>
    public string Description { get; init; } = "";

    public bool IsDashed => Kind == MapEdgeKind.Mirror;

    /// <summary>Set on the "after" map of a preview: the line is new, or carries another share than before.</summary>
    public bool Changed { get; init; }
}

/// <summary>A map laid out: boxes and lines with positions, and the drawing's size. Pure data: tests assert it, the page draws it.</summary>
public sealed record MapLayout(double Width, double Height, ImmutableArray<MapNode> Nodes, ImmutableArray<MapEdge> Edges)
{
    public static MapLayout Empty { get; } = new(0, 0, [], []);

    public MapNode? Node(string id) => Nodes.FirstOrDefault(n => n.Id == id);

    public IEnumerable<MapEdge> EdgesFrom(string id) => Edges.Where(e => e.From == id);

    public IEnumerable<MapEdge> EdgesTo(string id) => Edges.Where(e => e.To == id);

    /// <summary>This map with the lines that differ from <paramref name="before"/> (new, or another share) marked changed.</summary>
    public MapLayout MarkChangesSince(MapLayout before)
    {
        var earlier = before.Edges.ToDictionary(e => e.Id, e => e.Percent);
        return this with
        {
            Edges = [.. Edges.Select(e => e with { Changed = !earlier.TryGetValue(e.Id, out var percent) || percent != e.Percent })],
        };
    }

    /// <summary>
    /// Gives each edge its path: lines leaving one box are spread down its right side in the order of their targets, and
    /// lines arriving at one box down its left side in the order of their sources, so parallel lines do not lie on top of
    /// each other. Positions depend on the boxes only: a changed weight changes widths, never where a line runs.
    /// </summary>
    /// <param name="nodes">The boxes, already placed.</param>
    /// <param name="edges">The lines; one whose end is not among <paramref name="nodes"/> is left out.</param>
    /// <param name="labelAt">Where along a line its label sits (0 at the source, 1 at the target).</param>
    public static ImmutableArray<MapEdge> Route(IReadOnlyList<MapNode> nodes, IEnumerable<MapEdge> edges, double labelAt = 0.75)
    {
        var byId = nodes.ToDictionary(n => n.Id);
        var list = edges.Where(e => byId.ContainsKey(e.From) && byId.ContainsKey(e.To)).ToList();
        var outPort = Ports(list, e => e.From, e => byId[e.To].CenterY);
        var inPort = Ports(list, e => e.To, e => byId[e.From].CenterY);
        return [.. list.Select(e =>
        {
            var from = byId[e.From];
            var to = byId[e.To];
            var (i, n) = outPort[e];
            var (j, m) = inPort[e];
            var y1 = from.Y + from.Height * (i + 1) / (n + 1);
            var y2 = to.Y + to.Height * (j + 1) / (m + 1);
            double x1, x2;
            if (to.X >= from.Right)
            {
                (x1, x2) = (from.Right, to.X);
            }
            else if (from.X >= to.Right)
            {
                (x1, x2) = (from.X, to.Right);
            }
            else
            {
                // Same column (services of one namespace): leave and arrive on the right side, bowing outwards.
                (x1, x2) = (from.Right, to.Right);
            }
            var bend = Math.Max(40, Math.Abs(x2 - x1) / 2);
            var c1 = x2 >= x1 ? x1 + bend : x1 - bend;
            var c2 = x2 >= x1 ? x2 - bend : x2 + bend;
            if (Math.Abs(x2 - x1) < 1)
            {
                c1 = x1 + bend;
                c2 = x2 + bend;
            }
            // The routing map puts labels three quarters along, near the box the line arrives at, so lines that cross keep their labels apart.
            var t = labelAt;
            double At(double p0, double p1, double p2, double p3) =>
                Math.Pow(1 - t, 3) * p0 + 3 * Math.Pow(1 - t, 2) * t * p1 + 3 * (1 - t) * t * t * p2 + t * t * t * p3;
            return e with
            {
                Path = string.Create(CultureInfo.InvariantCulture, $"M {x1:0.#} {y1:0.#} C {c1:0.#} {y1:0.#}, {c2:0.#} {y2:0.#}, {x2:0.#} {y2:0.#}"),
                LabelX = At(x1, c1, c2, x2),
                LabelY = At(y1, y1, y2, y2),
            };
        })];
    }

    private static Dictionary<MapEdge, (int Index, int Count)> Ports(List<MapEdge> edges, Func<MapEdge, string> side, Func<MapEdge, double> otherEndY)
    {
        var ports = new Dictionary<MapEdge, (int, int)>(ReferenceEqualityComparer.Instance);
        foreach (var group in edges.GroupBy(side))
        {
            var ordered = group.OrderBy(otherEndY).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                ports[ordered[i]] = (i, ordered.Count);
            }
        }
        return ports;
    }
}

/// <summary>Breaks words into lines of a box's width (in characters: the map's font is fixed, so a character count is a width).</summary>
public static class MapText
{
    public static ImmutableArray<string> Wrap(string text, int width, int maxLines)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (candidate.Length <= width)
            {
                line = candidate;
                continue;
            }
            if (line.Length > 0)
            {
                lines.Add(line);
            }
            line = word.Length <= width ? word : word[..(width - 1)] + "…";
        }
        if (line.Length > 0)
        {
            lines.Add(line);
        }
        if (lines.Count > maxLines)
        {
            // The whole text is in the box's tooltip and the text alternative; the box says there is more.
            var last = lines[maxLines - 1];
            lines = [.. lines.Take(maxLines - 1), (last.Length >= width ? last[..(width - 1)] : last) + "…"];
        }
        return [.. lines];
    }

    public static string Rate(double perSecond) => perSecond switch
    {
        >= 100 => perSecond.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => perSecond.ToString("0.#", CultureInfo.InvariantCulture),
        _ => perSecond.ToString("0.##", CultureInfo.InvariantCulture),
    } + " rps";

    public static string Errors(double errorRate) => (errorRate * 100).ToString(errorRate is > 0 and < 0.01 ? "0.##" : "0.#", CultureInfo.InvariantCulture) + "% errors";

    /// <summary>Error rate as a tone (our thresholds): below 1% fine, below 5% worrying, 5% and above failing.</summary>
    public static MapTone ToneOfErrors(double? errorRate) => errorRate switch
    {
        null => MapTone.Idle,
        < 0.01 => MapTone.Good,
        < 0.05 => MapTone.Warning,
        _ => MapTone.Bad,
    };
}
