using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Operations;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Forms;

/// <summary>The history tab: recorded changes newest first, each with its diff and a way to restore it.</summary>
public sealed partial class HistoryPanel : ServiceFormBase, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<int> _open = [];
    private IReadOnlyList<HistoryEntry> _entries = [];
    private bool _loading;
    private string? _error;

    [Inject]
    public required IMeshDashboardClient Client { get; init; }

    /// <summary>Each time the history has been read: the page enables Rollback only when there is something to undo.</summary>
    [Parameter]
    public EventCallback<IReadOnlyList<HistoryEntry>> Read { get; set; }

    // The history is loaded whenever the form's service is (re)loaded, so it follows the person's own changes.
    protected override void Load(MeshService service) => _ = LoadAsync(service);

    private async Task LoadAsync(MeshService service)
    {
        _loading = true;
        _error = null;
        try
        {
            _entries = await Client.GetHistoryAsync(service.Ref, _stop.Token);
            _open.Clear();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // Loaded in the background: a failure is shown on the tab rather than lost.
            _entries = [];
            _error = $"The history could not be read: {e.Message}";
        }
        finally
        {
            _loading = false;
        }
        await InvokeAsync(async () =>
        {
            StateHasChanged();
            await Read.InvokeAsync(_entries);
        });
    }

    private void Toggle(int index)
    {
        if (!_open.Remove(index))
        {
            _open.Add(index);
        }
    }

    private async Task RestoreAsync(string revision)
    {
        ITrafficOperation operation;
        try
        {
            operation = await Client.RollbackOperationAsync(Service.Ref, revision, _stop.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _error = $"This entry cannot be restored: {e.Message}";
            return;
        }
        var result = await SubmitAsync(operation);
        if (result.Succeeded)
        {
            await LoadAsync(Service);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
