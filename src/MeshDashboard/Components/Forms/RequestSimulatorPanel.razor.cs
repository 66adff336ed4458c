using System.Collections.Immutable;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Simulation;
using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Forms;

/// <summary>
/// "Where does this request go?": a request described in a small form, answered by the domain simulator on the live
/// snapshot in-process (no call to the dashboard's own API). The answer follows the form after a short pause in
/// typing, and the mesh as it changes; it re-renders only when the answer changed.
/// </summary>
public sealed partial class RequestSimulatorPanel : IAsyncDisposable
{
    /// <summary>How long typing must pause before the request is simulated again.</summary>
    internal static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly LiveState _updates = new();
    private CancellationTokenSource? _pending;
    private ObjectRef? _loaded;
    private SimulationFormModel _model = null!;
    private ImmutableDictionary<string, string> _errors = ImmutableDictionary<string, string>.Empty;
    private SimulationView? _view;

    /// <summary>The service whose page this is: the form starts from its host and offers its gateways.</summary>
    [Parameter, EditorRequired]
    public required MeshService Service { get; set; }

    [Inject]
    public required IMeshDashboardClient Client { get; init; }

    private ImmutableArray<string> GatewayChoices => SimulationFormModel.GatewayChoices(Service);

    protected override void OnParametersSet()
    {
        // A different service starts a new request; a live update of the same one keeps what the person typed.
        if (_loaded != Service.Ref)
        {
            var first = _loaded is null;
            _loaded = Service.Ref;
            _model = SimulationFormModel.For(Service);
            _errors = _model.Validate();
            Run(Client.Current);
            // Followed only once there is a request: the first state can arrive before this method returns.
            if (first && RendererInfo.IsInteractive)
            {
                _updates.Follow(Client, Run, action => InvokeAsync(action), StateHasChanged);
            }
        }
    }

    private void Edit(SimulationFormModel model)
    {
        _model = model;
        _errors = model.Validate();
        _pending?.Cancel();
        _pending?.Dispose();
        _pending = new CancellationTokenSource();
        _ = RunLaterAsync(_pending.Token);
    }

    private async Task RunLaterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Debounce, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await InvokeAsync(() =>
        {
            if (!cancellationToken.IsCancellationRequested && Run(Client.Current))
            {
                StateHasChanged();
            }
        });
    }

    /// <summary>Simulates the form's request on <paramref name="state"/>; returns whether the answer changed.</summary>
    private bool Run(MeshState state)
    {
        SimulationView? view = null;
        if (_errors.IsEmpty)
        {
            var result = RequestSimulator.Simulate(state.Snapshot, _model.ToRequest());
            view = SimulationView.From(result, [.. Service.Subsets.Select(s => s.Name).Distinct()]);
        }
        if (Equals(view, _view))
        {
            return false;
        }
        _view = view;
        return true;
    }

    private bool HasError(string field) => _errors.ContainsKey(field);

    private string? ErrorOf(string field) => _errors.GetValueOrDefault(field);

    private void EditHeader(int index, KeyValueRow row) => Edit(_model with { Headers = _model.Headers.SetItem(index, row) });

    private void AddHeader() => Edit(_model with { Headers = _model.Headers.Add(KeyValueRow.Empty) });

    private void RemoveHeader(int index) => Edit(_model with { Headers = _model.Headers.RemoveAt(index) });

    private void EditLabel(int index, KeyValueRow row) => Edit(_model with { SourceLabels = _model.SourceLabels.SetItem(index, row) });

    private void AddLabel() => Edit(_model with { SourceLabels = _model.SourceLabels.Add(KeyValueRow.Empty) });

    private void RemoveLabel(int index) => Edit(_model with { SourceLabels = _model.SourceLabels.RemoveAt(index) });

    public async ValueTask DisposeAsync()
    {
        _pending?.Cancel();
        _pending?.Dispose();
        await _updates.DisposeAsync();
    }
}
