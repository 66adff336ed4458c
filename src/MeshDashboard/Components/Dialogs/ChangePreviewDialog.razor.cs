using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Traffic;
using MeshDashboard.Mesh.Operations;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MeshDashboard.Components.Dialogs;

/// <summary>
/// Shows what a change would do (summary, per-object diff, findings, the server's dry-run verdict) and applies it
/// conditionally on the version the preview was computed on. Closes with the outcome when it succeeded; otherwise
/// says in plain words what went wrong and stays open.
/// </summary>
public sealed partial class ChangePreviewDialog
{
    private ChangePreview _preview = null!;
    private ChangeOutcome? _outcome;
    private string? _reason;
    private bool _busy;
    private System.Collections.Immutable.ImmutableArray<string> _gaining = [];
    private ServiceTraffic? _traffic;

    [CascadingParameter]
    public required IMudDialogInstance Dialog { get; set; }

    [Parameter, EditorRequired]
    public required ChangePreview Preview { get; set; }

    [Parameter, EditorRequired]
    public required ITrafficOperation Operation { get; set; }

    [Inject]
    public required IMeshDashboardClient Client { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required ITrafficMetrics Metrics { get; init; }

    private bool CanApply => !_busy && _preview.HasChanges && _preview.DryRun.Accepted && _preview.Refusal is null && Client.Current.Health.IsReachable && _outcome?.Status is not (ChangeStatus.ReadOnly or ChangeStatus.Conflict);

    // The service as the page shows it: the simulator's form starts from its host and colours its subsets.
    private MeshService? _service;

    protected override void OnInitialized()
    {
        _preview = Preview;
        _service = Client.Current.FindService(Preview.Service.Namespace, Preview.Service.Name);
    }

    /// <summary>The current figures of the subsets the change sends more traffic to (shared reads: usually already cached).</summary>
    protected override async Task OnInitializedAsync()
    {
        var state = Client.Current;
        if (state.FindService(_preview.Service.Namespace, _preview.Service.Name) is not { } service)
        {
            return;
        }
        // The VirtualServices as they are and as the change leaves them, from the preview's two states.
        _gaining = [.. _preview.Objects
            .Where(o => o.Target.Kind == ResourceKind.VirtualService)
            .SelectMany(o => TrafficShift.SubsetsGaining(_preview.Before?.Find(o.Target)?.Raw, _preview.After?.Find(o.Target)?.Raw, service.Fqdn))
            .Distinct()];
        if (!_gaining.IsEmpty)
        {
            _traffic = await Metrics.GetServiceAsync(state, service, MetricsWindow.Default, CancellationToken.None);
        }
    }

    private async Task ApplyAsync()
    {
        _busy = true;
        try
        {
            var reason = string.IsNullOrWhiteSpace(_reason) ? null : _reason.Trim();
            // The author is whoever is signed in: the server's role check records it, whatever is sent here.
            _outcome = await Client.ApplyAsync(Operation, new ChangeRequest(Author: "", reason, _preview.BaseVersion), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _outcome = new ChangeOutcome(ChangeStatus.Failed, e.Message);
        }
        finally
        {
            _busy = false;
        }
        if (_outcome.Succeeded)
        {
            Snackbar.Add(_outcome.Status == ChangeStatus.Applied ? $"Applied: {_preview.Summary}" : "Nothing to change.", Severity.Success);
            Dialog.Close(DialogResult.Ok(_outcome));
        }
    }

    /// <summary>After a conflict: previews the same change again on the state as it is now.</summary>
    private async Task ReloadAsync()
    {
        try
        {
            _preview = await Client.PreviewAsync(Operation, new ChangeRequest(Author: ""), CancellationToken.None);
            _outcome = null;
        }
        catch (OperationException e)
        {
            _outcome = new ChangeOutcome(ChangeStatus.Invalid, "The change no longer fits the current configuration.") { Errors = e.Errors };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _outcome = new ChangeOutcome(ChangeStatus.Failed, $"The preview failed: {e.Message}");
        }
    }

    private void Cancel() => Dialog.Cancel();
}
