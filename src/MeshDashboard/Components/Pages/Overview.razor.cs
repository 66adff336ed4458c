using System.Collections.Immutable;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Mesh.Traffic;
using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Pages;

/// <summary>
/// Every service by namespace with its subsets and routing; follows the watch cache live. The search and the chosen
/// namespaces live in the address (<c>?q=…&amp;ns=a&amp;ns=b</c>, and <c>&amp;all=true</c> when gateways and system workloads
/// are listed too), so a filtered view can be bookmarked and shared.
/// </summary>
public sealed partial class Overview : IAsyncDisposable
{
    private readonly LiveState _figures = new();
    private MeshTraffic? _traffic;
    private ServiceSort _sort = ServiceSort.Name;
    private string _trafficCaption = "";

    /// <summary>Rows rendered before the circuit is interactive: enough to fill a tall screen.</summary>
    internal const int PrerenderedRows = 30;

    /// <summary>The height of one row in pixels (app.css <c>.md-row</c>): virtualization lays out rows by it.</summary>
    internal const float RowHeight = 64;

    /// <summary>The most rows laid out at once: a 4K screen's height of rows (60 × 64 px), not all 5,000 services.</summary>
    internal const int MaxRowsLaidOut = 60;

    /// <summary>Rows laid out above and below the view, so scrolling a little shows rows at once.</summary>
    internal const int RowsBeyondView = 6;

    /// <summary>
    /// No debounce: filtering is a substring scan of each row's text lower-cased when the row was made (about a
    /// millisecond at 5,000 services), cheaper than any delay a debounce would add to each keystroke.
    /// </summary>
    internal const int SearchDebounceMs = 0;

    private ImmutableArray<ServiceRow> _allRows = [];
    private ImmutableArray<ServiceRow> _rows = [];
    private ImmutableArray<string> _namespaces = [];
    private int _total;
    private int _infrastructureMatching;
    private bool _ready;
    private OverviewFilter _filter = new(null, []);

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ITrafficMetrics Metrics { get; init; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? SearchQuery { get; set; }

    [SupplyParameterFromQuery(Name = "ns")]
    public string[]? NamespacesQuery { get; set; }

    /// <summary><c>?all=true</c>: gateways and system workloads are listed beside the applications.</summary>
    [SupplyParameterFromQuery(Name = "all")]
    public bool? AllQuery { get; set; }

    [Inject]
    public required TimeProvider Time { get; init; }

    /// <summary>
    /// How long typing must rest before the address follows the search. The rows follow each keystroke at once; writing
    /// the address is a navigation (a round trip through the browser and back, and the page set again), which doubled
    /// what each keystroke cost when it was written per keystroke.
    /// </summary>
    internal static readonly TimeSpan AddressFollowsSearchAfter = TimeSpan.FromMilliseconds(400);

    // The filter as the address last gave it to this page; parameters set again with the same address change nothing.
    private (string? Search, string Namespaces, bool All)? _address;

    // Addresses this page wrote and whose echo has not come back yet. NavigateTo goes through the browser, so while a
    // person types "revi" the echo of "r" can arrive after "re" was applied; it must not put "r" back in the search box.
    private readonly List<(string? Search, string Namespaces, bool All)> _writtenQueries = [];

    private ITimer? _pendingAddress;

    protected override void OnParametersSet()
    {
        var address = (SearchQuery, string.Join(",", NamespacesQuery ?? []), AllQuery == true);
        if (_address == address)
        {
            return;
        }
        _address = address;
        // The echo of an address this page wrote changes nothing: the filter was applied when it was chosen.
        var echo = _writtenQueries.IndexOf(address);
        if (echo >= 0)
        {
            _writtenQueries.RemoveRange(0, echo + 1);
            return;
        }
        // A new address (a link, a bookmark, back and forward) replaces the filter, and a search not yet written is dropped.
        CancelPendingAddress();
        _filter = new OverviewFilter(SearchQuery, [.. (NamespacesQuery ?? []).Where(n => !string.IsNullOrWhiteSpace(n))], AllQuery == true);
        ApplyFilter();
    }

    protected override bool Show(MeshState state)
    {
        var rows = state.Services.Select(ServiceRow.Of).ToImmutableArray();
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

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _figures.Follow(Metrics.RefreshInterval, token => Metrics.GetMeshAsync(MetricsWindow.Default, token)!, ShowTraffic, action => InvokeAsync(action), StateHasChanged);
        }
    }

    private bool ShowTraffic(MeshTraffic traffic)
    {
        // The shared reader hands every page the same answer until its next read: nothing new to show.
        if (ReferenceEquals(traffic, _traffic))
        {
            return false;
        }
        _traffic = traffic;
        _trafficCaption = Model.TrafficText.Source(traffic.Source, traffic.Window);
        if (_sort != ServiceSort.Name)
        {
            ApplyFilter();
        }
        return true;
    }

    private TrafficFigures? FiguresOf(ServiceRow row) => _traffic?.Of(row.Namespace, row.Name);

    /// <summary>A live source that saw nothing for a service means no requests; without live figures there is nothing to say.</summary>
    private string BlankFigure => _traffic?.Availability == TrafficAvailability.Live ? "0 rps" : "–";

    private void OnSortChanged(ServiceSort sort)
    {
        _sort = sort;
        ApplyFilter();
    }

    private void ApplyFilter()
    {
        var rows = _filter.Apply(_allRows);
        _infrastructureMatching = _filter.InfrastructureMatching(_allRows);
        // Name order is the filter's own; the figure orders are stable on it, so equal figures keep name order.
        _rows = _sort switch
        {
            ServiceSort.RequestRate => [.. rows.OrderByDescending(r => FiguresOf(r)?.RequestsPerSecond ?? -1)],
            ServiceSort.ErrorRate => [.. rows.OrderByDescending(r => FiguresOf(r)?.ErrorRate ?? -1)],
            _ => rows,
        };
    }

    public new async ValueTask DisposeAsync()
    {
        CancelPendingAddress();
        await _figures.DisposeAsync();
        await base.DisposeAsync();
    }

    private void OnSearchChanged(string? value)
    {
        _filter = _filter with { Search = value };
        ApplyFilter();
        CancelPendingAddress();
        // Only the newest search's timer writes, and none once the page is gone (disposing clears it): a person who typed
        // and then opened a row within the delay must not be brought back to the overview by its address.
        ITimer? pending = null;
        pending = Time.CreateTimer(_ => InvokeAsync(() =>
        {
            if (pending is not null && ReferenceEquals(pending, _pendingAddress))
            {
                WriteAddress();
            }
        }), null, AddressFollowsSearchAfter, Timeout.InfiniteTimeSpan);
        _pendingAddress = pending;
    }

    private void OnNamespacesChanged(IEnumerable<string> values) => Filter(_filter with { Namespaces = [.. values] });

    private void OnInfrastructureChanged(bool value) => Filter(_filter with { WithInfrastructure = value });

    /// <summary>"6 services" or "2 of 6 services": what the list shows against what the cluster has.</summary>
    private string CountText => _rows.Length == _total ? $"{_total} services" : $"{_rows.Length} of {_total} services";

    private string InfrastructureLabel => $"Gateways and system workloads ({_infrastructureMatching})";

    /// <summary>A choice made with a click: the rows and the address follow at once.</summary>
    private void Filter(OverviewFilter filter)
    {
        _filter = filter;
        ApplyFilter();
        CancelPendingAddress();
        WriteAddress();
    }

    private void CancelPendingAddress()
    {
        _pendingAddress?.Dispose();
        _pendingAddress = null;
    }

    /// <summary>Puts the filter in the address (replacing the entry, so back leaves the page rather than undoing a keystroke).</summary>
    private void WriteAddress()
    {
        CancelPendingAddress();
        var search = string.IsNullOrWhiteSpace(_filter.Search) ? null : _filter.Search;
        var query = (search, string.Join(",", _filter.Namespaces), _filter.WithInfrastructure);
        // What the address will say once the echoes still on their way are back.
        var addressToBe = _writtenQueries.Count > 0 ? _writtenQueries[^1] : _address;
        if (addressToBe == query)
        {
            return;
        }
        _writtenQueries.Add(query);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["q"] = search,
            ["ns"] = _filter.Namespaces.IsEmpty ? null : _filter.Namespaces.ToArray(),
            ["all"] = _filter.WithInfrastructure ? "true" : null,
        }), replace: true);
    }

    /// <summary>Rows are records with arrays inside; compare them by what they show.</summary>
    private sealed class RowComparer : IEqualityComparer<ServiceRow>
    {
        public static RowComparer Instance { get; } = new();

        public bool Equals(ServiceRow? x, ServiceRow? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x with { Subsets = [] } == y with { Subsets = [] } && x.Subsets.SequenceEqual(y.Subsets));

        public int GetHashCode(ServiceRow obj) => HashCode.Combine(obj.Namespace, obj.Name);
    }
}

/// <summary>How the overview orders services.</summary>
public enum ServiceSort
{
    Name,
    RequestRate,
    ErrorRate,
}
