using System.Collections.Immutable;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Pages;

/// <summary>Every service by namespace with its subsets and routing; follows the watch cache live.</summary>
public sealed partial class Overview : IAsyncDisposable
{
    /// <summary>Rows rendered before the circuit is interactive: enough to fill a tall screen.</summary>
    internal const int PrerenderedRows = 30;

    private readonly LiveState _updates = new();
    private ImmutableArray<ServiceRow> _allRows = [];
    private ImmutableArray<ServiceRow> _rows = [];
    private ImmutableArray<string> _namespaces = [];
    private int _total;
    private bool _ready;
    private string? _search;
    private string _namespace = OverviewFilter.AllNamespaces;

    [Inject]
    public required IMeshDashboardClient Client { get; init; }

    protected override void OnInitialized()
    {
        Show(Client.Current);
        if (RendererInfo.IsInteractive)
        {
            _updates.Follow(Client, Show, action => InvokeAsync(action), StateHasChanged);
        }
    }

    /// <summary>Rebuilds the rows; returns whether anything visible changed.</summary>
    private bool Show(MeshState state)
    {
        var rows = state.Services.Select(ServiceRow.From).ToImmutableArray();
        var ready = Client.IsReady;
        if (rows.SequenceEqual(_allRows, RowComparer.Instance) && ready == _ready)
        {
            return false;
        }
        _allRows = rows;
        _ready = ready;
        _total = rows.Length;
        _namespaces = [.. rows.Select(r => r.Namespace).Distinct().Order(StringComparer.Ordinal)];
        ApplyFilter();
        return true;
    }

    private void ApplyFilter() => _rows = new OverviewFilter(_search, _namespace).Apply(_allRows);

    private void OnSearchChanged(string? value)
    {
        _search = value;
        ApplyFilter();
    }

    private void OnNamespaceChanged(string? value)
    {
        _namespace = value ?? OverviewFilter.AllNamespaces;
        ApplyFilter();
    }

    public ValueTask DisposeAsync() => _updates.DisposeAsync();

    /// <summary>Rows are records with arrays inside; compare them by what they show.</summary>
    private sealed class RowComparer : IEqualityComparer<ServiceRow>
    {
        public static RowComparer Instance { get; } = new();

        public bool Equals(ServiceRow? x, ServiceRow? y) =>
            x is not null && y is not null && x with { Subsets = [] } == y with { Subsets = [] } && x.Subsets.SequenceEqual(y.Subsets);

        public int GetHashCode(ServiceRow obj) => HashCode.Combine(obj.Namespace, obj.Name);
    }
}
