using System.Collections.Immutable;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Mesh.Maps;
using MeshDashboard.Mesh.Traffic;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Pages;

/// <summary>
/// The mesh map: every service by namespace and the calls between them, following the watch (which services exist)
/// and the metrics (who calls whom). It opens with namespaces closed, so thousands of services draw as a few dozen
/// boxes; a person opens the namespaces they care about, filters, or searches.
/// </summary>
public sealed partial class MeshMapPage : IAsyncDisposable
{
    private readonly LiveState _updates = new();
    private readonly LiveState _figures = new();
    private MeshState? _state;
    private MeshTraffic? _traffic;
    private ImmutableArray<TrafficEdge> _calls = [];
    private MeshMapView _view = MeshMapView.Default;
    private ImmutableArray<string> _namespaces = [];
    private MapLayout _layout = MapLayout.Empty;
    private ImmutableArray<string> _words = [];

    [Inject]
    public required IMeshDashboardClient Client { get; init; }

    [Inject]
    public required ITrafficMetrics Metrics { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override void OnInitialized()
    {
        Show(Client.Current);
        if (RendererInfo.IsInteractive)
        {
            _updates.Follow(Client, Show, action => InvokeAsync(action), StateHasChanged);
            _figures.Follow(Metrics.RefreshInterval, token => Metrics.GetMeshAsync(MetricsWindow.Default, token)!, ShowTraffic, action => InvokeAsync(action), StateHasChanged);
        }
    }

    private bool Show(MeshState state)
    {
        _state = state;
        _namespaces = [.. state.Services.Select(s => s.Namespace).Distinct().Order(StringComparer.Ordinal)];
        if (_traffic is not null)
        {
            _calls = Callers.Resolve(state.Catalog.Index, _traffic.Calls);
        }
        return Layout();
    }

    private bool ShowTraffic(MeshTraffic traffic)
    {
        // The shared reader hands every page the same answer until its next read: nothing new to show.
        if (ReferenceEquals(traffic, _traffic))
        {
            return false;
        }
        _traffic = traffic;
        _calls = _state is null ? [] : Callers.Resolve(_state.Catalog.Index, traffic.Calls);
        return Layout();
    }

    private bool Layout()
    {
        if (_state is null)
        {
            return false;
        }
        var layout = MeshMap.Build(_state.Services, _calls, _view);
        _layout = layout;
        _words = MeshMapWords.Of(layout);
        return true;
    }

    private static bool CanActivate(MapNode node) => node.Kind is MapNodeKind.Namespace or MapNodeKind.Service;

    private void Activate(MapNode node)
    {
        if (node.Kind == MapNodeKind.Namespace && node.Namespace is { } ns)
        {
            _view = _view.Toggle(ns);
            Layout();
        }
        else if (node.Kind == MapNodeKind.Service)
        {
            Navigation.NavigateTo($"services/{Uri.EscapeDataString(node.Namespace!)}/{Uri.EscapeDataString(node.Name!)}");
        }
    }

    private void FilterNamespaces(IEnumerable<string>? namespaces)
    {
        _view = _view with { Namespaces = [.. namespaces ?? []] };
        Layout();
    }

    private void Search(string? text)
    {
        _view = _view with { Search = text ?? "" };
        Layout();
    }

    private void CloseAll()
    {
        _view = _view with { Expanded = [] };
        Layout();
    }

    public async ValueTask DisposeAsync()
    {
        await _updates.DisposeAsync();
        await _figures.DisposeAsync();
    }
}
