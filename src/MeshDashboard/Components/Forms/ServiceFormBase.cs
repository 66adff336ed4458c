using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Forms;

/// <summary>
/// A form on the service page. It loads its model from <see cref="Service"/> when the page hands it a different
/// service object (on open, on Reload, after the person's own change), never on every live update, so edits in
/// progress are not replaced under the person.
/// </summary>
public abstract class ServiceFormBase : ComponentBase
{
    private MeshService? _loaded;

    [Parameter, EditorRequired]
    public required MeshService Service { get; set; }

    [Parameter]
    public bool ReadOnly { get; set; }

    /// <summary>Previews the operation, lets the person review and apply it, and says how it ended.</summary>
    [Parameter, EditorRequired]
    public required Func<ITrafficOperation, Task<ProposalResult>> Propose { get; set; }

    /// <summary>Errors the operation reported for the last submission, by field.</summary>
    protected IReadOnlyList<FieldError> Errors { get; private set; } = [];

    protected bool Busy { get; private set; }

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_loaded, Service))
        {
            _loaded = Service;
            Errors = [];
            Load(Service);
        }
    }

    protected abstract void Load(MeshService service);

    protected async Task<ProposalResult> SubmitAsync(ITrafficOperation operation)
    {
        Busy = true;
        try
        {
            var result = await Propose(operation);
            Errors = result.Errors;
            return result;
        }
        finally
        {
            Busy = false;
        }
    }
}
