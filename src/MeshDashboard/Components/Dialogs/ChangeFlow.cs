using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Model;
using MudBlazor;

namespace MeshDashboard.Components.Dialogs;

/// <summary>
/// Preview, review, apply: asks the client for a preview, shows it in <see cref="ChangePreviewDialog"/> and returns
/// how it ended. Invalid input (an <see cref="OperationException"/> from the preview) comes back as field errors
/// without opening the dialog.
/// </summary>
public sealed class ChangeFlow(IMeshDashboardClient client, IDialogService dialogs)
{
    public async Task<ProposalResult> ProposeAsync(ITrafficOperation operation, CancellationToken cancellationToken)
    {
        ChangePreview preview;
        try
        {
            // The author and what the caller may do are the server's to decide (the role check fills them in).
            preview = await client.PreviewAsync(operation, new ChangeRequest(Author: ""), cancellationToken);
        }
        catch (OperationException e)
        {
            return new ProposalResult(e.Errors, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An event handler that throws ends the person's circuit; say what failed instead.
            return new ProposalResult([new FieldError("preview", $"the preview failed: {e.Message}")], null);
        }
        var parameters = new DialogParameters<ChangePreviewDialog>
        {
            { d => d.Preview, preview },
            { d => d.Operation, operation },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = true };
        var dialog = await dialogs.ShowAsync<ChangePreviewDialog>("Review the change", parameters, options);
        var result = await dialog.Result;
        return result is { Canceled: false, Data: ChangeOutcome outcome } ? new ProposalResult([], outcome) : ProposalResult.Cancelled;
    }
}
