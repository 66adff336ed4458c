using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Forms;

/// <summary>
/// A form on the service page. It loads its model from <see cref="Service"/> when the page hands it a different
/// service object (on open, on Reload, after the person's own change), never on every live update, so edits in
/// progress are not replaced under the person. What the service is <em>now</em> is a separate thing: forms that show
/// "now" figures beside the person's proposal take them from <see cref="Live"/>, which follows every live update.
/// </summary>
public abstract class ServiceFormBase : ComponentBase
{
    private MeshService? _loaded;
    private MeshService? _followed;

    [Parameter, EditorRequired]
    public required MeshService Service { get; set; }

    /// <summary>
    /// The service as it is now: newer than <see cref="Service"/> after someone else's change (the page then says the
    /// form is out of date). Null means <see cref="Service"/> is current.
    /// </summary>
    [Parameter]
    public MeshService? Live { get; set; }

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
            _followed = null;
        }
        var live = Live ?? Service;
        if (!ReferenceEquals(_followed, live))
        {
            _followed = live;
            Follow(live);
        }
    }

    protected abstract void Load(MeshService service);

    /// <summary>
    /// Takes the service's current state into the "now" figures the form shows, keeping what the person proposed.
    /// Called after every <see cref="Load"/> and whenever <see cref="Live"/> changes; forms without "now" figures ignore it.
    /// </summary>
    protected virtual void Follow(MeshService live)
    {
    }

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
