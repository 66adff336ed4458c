using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>The resilience tab's mirror form: a shadow copy of one rule's requests to a subset, never answered from.</summary>
public sealed partial class MirrorEditor : ValidatedServiceForm<MirrorFormModel>
{
    protected override void Load(MeshService service) => Start(MirrorFormModel.From(service));

    /// <summary>The "now" line follows the service; what the person chose stays (and stays untouched or touched as it was).</summary>
    protected override void Follow(MeshService live) => Keep(Form.Follow(live));

    private Task ApplyAsync() => SubmitValidAsync(() => Form.ToOperation(Service.Ref));

    private Task RemoveAsync() => SubmitAsync(Form.RemoveOperation(Service.Ref));
}
