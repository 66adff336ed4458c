using System.Collections.Immutable;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Maps;
using MeshDashboard.Mesh.Traffic;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Controls;

/// <summary>
/// The routing map on the service page. It follows the page's live service and figures (the page re-renders it when
/// either changes) and lays the map out again only then; a rule opens the rule editor's tab, a subset lists its pods.
/// </summary>
public sealed partial class RoutingMapPanel
{
    private readonly string _id = "routing-map-" + Guid.NewGuid().ToString("N")[..8];
    private MeshService? _laidOutService;
    private ServiceTraffic? _laidOutTraffic;
    private MapLayout _layout = MapLayout.Empty;
    private ImmutableArray<string> _words = [];
    private SubsetPods? _pods;

    [Parameter, EditorRequired]
    public required MeshService Service { get; set; }

    [Parameter]
    public ServiceTraffic? Traffic { get; set; }

    [Inject]
    public required IMeshDashboardClient Client { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(Service, _laidOutService) && ReferenceEquals(Traffic, _laidOutTraffic))
        {
            return;
        }
        _laidOutService = Service;
        _laidOutTraffic = Traffic;
        _layout = RoutingMap.Build(Service, Traffic);
        _words = RoutingMapWords.Of(_layout);
        if (_pods is not null)
        {
            _pods = SubsetPods.Of(Client.Current, Service, _pods.Subset);
        }
    }

    private static bool CanActivate(MapNode node) => node.EditableRule is not null || node.Kind == MapNodeKind.Subset;

    private void ActivateAsync(MapNode node)
    {
        if (node.EditableRule is not null)
        {
            // The tab is in the address (?tab=rules); the page opens it, and the fragment scrolls to the editor.
            var uri = Navigation.GetUriWithQueryParameter("tab", "rules");
            Navigation.NavigateTo(uri + "#routing-rules");
        }
        else if (node.Kind == MapNodeKind.Subset)
        {
            _pods = SubsetPods.Of(Client.Current, Service, node.Subset);
        }
    }
}

/// <summary>One pod of a subset as the map lists it.</summary>
public sealed record PodLine(string Name, bool Ready, string? Ip);

/// <summary>The pods a subset's labels select among the service's pods (all of them for "no subset").</summary>
public sealed record SubsetPods(string? Subset, string Title, ImmutableArray<PodLine> Pods)
{
    public static SubsetPods Of(MeshState state, MeshService service, string? subset)
    {
        var labels = subset is null ? null : service.Subsets.FirstOrDefault(s => s.Name == subset)?.Labels;
        var pods = state.PodsOf(service)
            .Where(p => subset is null || (labels is not null && labels.All(l => p.Labels.TryGetValue(l.Key, out var v) && v == l.Value)))
            .Select(p => new PodLine(p.Name, MeshIndex.IsReady(p), p.Pod?.PodIp ?? p.Raw["status"]?["podIP"]?.GetValue<string>()))
            .ToImmutableArray();
        return new SubsetPods(subset, subset is null ? $"Pods of {service.Name}" : $"Pods of subset {subset}", pods);
    }
}
