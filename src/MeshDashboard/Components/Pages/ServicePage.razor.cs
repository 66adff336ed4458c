using System.Collections.Immutable;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Components.Dialogs;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Mesh.Traffic;
using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MeshDashboard.Components.Pages;

/// <summary>
/// One service: its state in words and pictures (live), and the forms that change its traffic. The forms work on
/// the service as it was when they were opened; when it changes under them the page says so and offers a reload
/// instead of replacing the person's edits.
/// </summary>
public sealed partial class ServicePage : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly LiveState _updates = new();
    private readonly LiveState _figures = new();
    private ServiceTraffic? _traffic;
    private MeshService? _live;
    private ServiceHeaderModel? _header;
    private FormSession _session = FormSession.Empty;
    private bool _busy;

    // Why the person may not change this service (role, or the cluster's RBAC); null when they may.
    private string? _accessReason;
    private IReadOnlyList<FieldError> _errors = [];
    private ChangeFlow _flow = null!;
    private Func<ITrafficOperation, Task<ProposalResult>> _propose = null!;

    [Parameter]
    public required string Namespace { get; set; }

    [Parameter]
    public required string Name { get; set; }

    /// <summary>The tab to open (<c>?tab=history</c>, as the Changes page links); the traffic split when absent.</summary>
    [SupplyParameterFromQuery(Name = "tab")]
    public string? Tab { get; set; }

    /// <summary>The tabs in page order, by the name the address uses.</summary>
    private static readonly string[] TabNames = ["split", "rules", "fault", "resilience", "circuit-breaker", "blue-green", "history", "simulate", "rollout"];

    /// <summary>The tabs a service without routing shows (beside the setup panel), by the same names.</summary>
    private static readonly string[] SetupTabNames = ["history", "simulate"];

    private int _activeTab;

    // Whether the history holds a change made with MeshDashboard, the only kind Rollback can undo (unknown = no).
    private bool _hasOwnChanges;
    private int _setupTab;
    private string? _appliedTab;

    [Inject]
    public required IMeshDashboardClient Client { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ITrafficMetrics Metrics { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    private string? RollbackHint =>
        _hasOwnChanges ? "Restores the state before this service's latest change made with MeshDashboard"
        : "Nothing to roll back: no change to this service has been made with MeshDashboard yet";

    private void HistoryRead(IReadOnlyList<HistoryEntry> entries) => _hasOwnChanges = entries.Any(e => !e.IsBaseline);

    // Switching tabs puts the tab in the address, so reload, back and a shared link open the same tab.
    private void ShowTab(int index)
    {
        _activeTab = index;
        PutTabInAddress(TabNames, index);
    }

    private void ShowSetupTab(int index)
    {
        _setupTab = index;
        PutTabInAddress(SetupTabNames, index);
    }

    private void PutTabInAddress(string[] names, int index)
    {
        if (index < 0 || index >= names.Length || names[index] == Tab)
        {
            return;
        }
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("tab", names[index]), replace: true);
    }

    protected override void OnInitialized()
    {
        _flow = new ChangeFlow(Client, Dialogs);
        _propose = ProposeAsync;
        if (RendererInfo.IsInteractive)
        {
            _updates.Follow(Client, Show, action => InvokeAsync(action), StateHasChanged);
            _figures.Follow(Metrics.RefreshInterval, ReadTrafficAsync, ShowTraffic, action => InvokeAsync(action), StateHasChanged);
        }
    }

    private async Task<ServiceTraffic?> ReadTrafficAsync(CancellationToken cancellationToken)
    {
        var state = Client.Current;
        return state.FindService(Namespace, Name) is { } service
            ? await Metrics.GetServiceAsync(state, service, MetricsWindow.Default, cancellationToken)
            : null;
    }

    private bool ShowTraffic(ServiceTraffic traffic)
    {
        // The shared reader hands every page the same answer until its next read: nothing new to show.
        if (ReferenceEquals(traffic, _traffic))
        {
            return false;
        }
        _traffic = traffic;
        return true;
    }

    private bool ReadOnly => _header?.IsReadOnly == true || _accessReason is not null;

    /// <summary>No DestinationRule and no VirtualService: the traffic forms have nothing to work on until routing is set up.</summary>
    private bool NeedsRoutingSetup => _session.Form is { } form && form.DestinationRules.IsEmpty && form.Routes.IsEmpty;

    /// <summary>The TCP routes of the service's mesh VirtualService, each split with its own sliders.</summary>
    private ImmutableArray<L4RouteView> TcpRoutes => _session.Form?.MeshRoute?.VirtualService.Tcp ?? [];

    /// <summary>The HTTP split shows unless the mesh VirtualService routes only TCP (then weights there would add an HTTP route).</summary>
    private bool ShowsHttpSplit => TcpRoutes.IsEmpty || _session.Form?.MeshRoute?.VirtualService.Http.IsEmpty == false;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _accessReason = await Client.WhyCannotChangeAsync(new ObjectRef(ResourceKind.Service, Namespace, Name), _stop.Token);
            if (_accessReason is not null)
            {
                StateHasChanged();
            }
        }
    }

    protected override void OnParametersSet()
    {
        if (Tab != _appliedTab)
        {
            _appliedTab = Tab;
            _activeTab = Math.Max(0, Array.IndexOf(TabNames, Tab));
            _setupTab = Math.Max(0, Array.IndexOf(SetupTabNames, Tab));
        }

        // A new address is a new service: forms start from its current state.
        if (_live is null || _live.Namespace != Namespace || _live.Name != Name)
        {
            _session = FormSession.Empty;
            Show(Client.Current);
        }
    }

    /// <summary>Shows the service as it is in <paramref name="state"/>; returns whether anything visible changed.</summary>
    private bool Show(MeshState state)
    {
        var service = state.FindService(Namespace, Name);
        if (service is null)
        {
            var changed = _live is not null || _header is not null;
            _live = null;
            _header = null;
            return changed;
        }
        if (_live is not null && Equals(_live, service))
        {
            return false;
        }
        _live = service;
        _header = ServiceHeaderModel.From(service);
        _session = _session.Observe(service, Client.VersionOf(service));
        return true;
    }

    private void Reload()
    {
        if (_live is not null)
        {
            _session = _session.Reload(_live, Client.VersionOf(_live));
        }
    }

    private async Task<ProposalResult> ProposeAsync(ITrafficOperation operation)
    {
        _busy = true;
        try
        {
            var result = await _flow.ProposeAsync(operation, _stop.Token);
            if (result.Succeeded)
            {
                // Our own change comes back through the watch; take it into the forms without the "changed" notice.
                _session = _session.ExpectOwnChange();
                if (_live is not null)
                {
                    _session = _session.Observe(_live, Client.VersionOf(_live));
                }
            }
            return result;
        }
        finally
        {
            // The change was asked for from a tab; the page's own controls (Rollback) must see it finished.
            _busy = false;
            StateHasChanged();
        }
    }

    private async Task RollbackAsync()
    {
        if (_live is null)
        {
            return;
        }
        try
        {
            var operation = await Client.RollbackOperationAsync(_live.Ref, null, _stop.Token);
            _errors = (await ProposeAsync(operation)).Errors;
        }
        catch (OperationException e)
        {
            _errors = e.Errors;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _errors = [new FieldError("rollback", $"there is nothing to roll back to, or the history could not be read: {e.Message}")];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _updates.DisposeAsync();
        await _figures.DisposeAsync();
        _stop.Dispose();
    }
}
