using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Model;

/// <summary>A subset as the overview shows it: name, ready/total pods, the labels that select them.</summary>
public sealed record SubsetChip(string Name, int Ready, int Total, string Selector);

/// <summary>One row of the services overview. Immutable; rebuilt from each new mesh state.</summary>
public sealed record ServiceRow
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required ImmutableArray<SubsetChip> Subsets { get; init; }

    public required int Pods { get; init; }

    public required int ReadyPods { get; init; }

    public required string RoutingSummary { get; init; }

    public required RoutingTraits Traits { get; init; }

    public string? CanaryText { get; init; }

    public required int Findings { get; init; }

    public required string? ManagedBy { get; init; }

    /// <summary>App, gateway or system workload: the overview lists gateways and system workloads apart from apps.</summary>
    public WorkloadRole Role { get; init; } = WorkloadRole.App;

    /// <summary>Whether the row is an application's (not a gateway's or the mesh's own machinery).</summary>
    public bool IsApp => Role == WorkloadRole.App;

    public string Link => $"/services/{Uri.EscapeDataString(Namespace)}/{Uri.EscapeDataString(Name)}";

    /// <summary>
    /// Everything the row shows, lower-cased once when the row is made: namespace, name, subsets, the routing in words and
    /// the badges ("canary 25/75", "dark launch", "blue/green", "fault", …), so search finds what the person reads.
    /// </summary>
    public string SearchText { get; init; } = "";

    // A service no event touched is the same object in the next state (MeshCatalog.Next), so its row is made once and
    // an overview following thousands of services maps and compares only the rows of what changed.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MeshService, ServiceRow> Made = [];

    /// <summary>The row of a service, made once per service object.</summary>
    public static ServiceRow Of(MeshService service) => Made.GetValue(service, From);

    public static ServiceRow From(MeshService service)
    {
        var row = Describe(service);
        return row with
        {
            SearchText = string.Join("\n", new[] { row.Namespace, row.Name, row.RoutingSummary, row.ManagedBy ?? "", RoutingBadgeText.RoleText(row.Role) ?? "" }
                .Concat(row.Subsets.Select(s => s.Name))
                .Concat(RoutingBadgeText.For(row.Traits, row.CanaryText).Select(b => b.Text))).ToLowerInvariant(),
        };
    }

    private static ServiceRow Describe(MeshService service) => new()
    {
        Namespace = service.Namespace,
        Name = service.Name,
        Subsets = [.. service.Subsets.Select(s => new SubsetChip(s.Name, s.ReadyPods, s.Pods, string.Join(", ", s.Labels.Select(l => $"{l.Key}={l.Value}"))))],
        Pods = service.Pods,
        ReadyPods = service.ReadyPods,
        RoutingSummary = service.RoutingSummary.IsEmpty ? "no VirtualService: Kubernetes load-balances across all pods" : string.Join(" · ", service.RoutingSummary),
        Traits = service.Traits,
        CanaryText = CanaryOf(service),
        Findings = service.Findings.Length,
        ManagedBy = service.ManagedBy,
        Role = service.Role,
    };

    private static string? CanaryOf(MeshService service)
    {
        var rule = service.MeshRoute?.Rules.LastOrDefault(r => r.IsCatchAll && r.Destinations.Length > 1);
        if (rule is null)
        {
            return null;
        }
        var percentages = rule.EffectivePercentages;
        return "canary " + string.Join("/", percentages.Select(p => Math.Round(p).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
