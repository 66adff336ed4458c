using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Model;

/// <summary>A gateway-bound VirtualService of the service: the hosts it serves, its gateways and the subset behind them.</summary>
public sealed record BlueGreenRow(string VirtualService, ImmutableArray<string> Hosts, ImmutableArray<string> Gateways, string? Subset, bool IsPreview)
{
    public string Role => IsPreview ? "preview" : "live";
}

/// <summary>Which subset serves which public host, and which subsets can be switched live.</summary>
public sealed record BlueGreenModel(ImmutableArray<BlueGreenRow> Rows, ImmutableArray<string> Subsets)
{
    /// <summary>The subset the live hosts serve, when they agree on one.</summary>
    public string? LiveSubset =>
        Rows.Where(r => !r.IsPreview && r.Subset is not null).Select(r => r.Subset).Distinct().ToList() is [var only] ? only : null;

    /// <summary>The subsets a "switch live to" button is offered for: every defined subset but the live one.</summary>
    public ImmutableArray<string> SwitchTargets =>
        LiveSubset is null ? [] : [.. Subsets.Where(s => s != LiveSubset)];

    public bool HasGatewayRoutes => !Rows.IsEmpty;

    public static BlueGreenModel From(MeshService service)
    {
        var rows = service.Routes
            .Where(r => r.VirtualService.Gateways.Any(g => g != "mesh"))
            .Select(r => new BlueGreenRow(
                $"{r.VirtualService.Namespace}/{r.VirtualService.Name}",
                r.VirtualService.Hosts,
                [.. r.VirtualService.Gateways.Where(g => g != "mesh")],
                ServedSubset(r.VirtualService),
                IsPreview(r.VirtualService)))
            .OrderBy(r => r.IsPreview).ThenBy(r => r.VirtualService, StringComparer.Ordinal)
            .ToImmutableArray();
        return new BlueGreenModel(rows, [.. service.Subsets.Select(s => s.Name).Distinct()]);
    }

    public SwitchBlueGreen SwitchTo(ObjectRef service, string subset) => new(service, subset);

    /// <summary>The table as the switch leaves it: live hosts serve <paramref name="target"/>, the preview that served it serves the old live subset.</summary>
    public BlueGreenModel AfterSwitch(string target)
    {
        var previous = LiveSubset;
        return this with
        {
            Rows =
            [
                .. Rows.Select(r => !r.IsPreview ? r with { Subset = target } : r.Subset == target && previous is not null ? r with { Subset = previous } : r),
            ],
        };
    }

    private static string? ServedSubset(VirtualServiceView vs)
    {
        var rule = vs.Http.FirstOrDefault(r => r.IsCatchAll);
        if (rule is null || rule.Destinations.IsEmpty)
        {
            return null;
        }
        var percentages = rule.EffectivePercentages;
        for (var d = 0; d < rule.Destinations.Length; d++)
        {
            if (percentages[d] >= 100)
            {
                return rule.Destinations[d].Subset;
            }
        }
        return null;
    }

    private static bool IsPreview(VirtualServiceView vs) => SwitchBlueGreen.IsPreview(vs);
}
