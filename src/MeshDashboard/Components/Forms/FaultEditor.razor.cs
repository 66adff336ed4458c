using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>The fault injection tab: abort and/or delay a share of the requests one rule serves.</summary>
public sealed partial class FaultEditor : ValidatedServiceForm<FaultFormModel>
{
    protected override void Load(MeshService service) => Start(FaultFormModel.From(service));

    private Task ApplyAsync() => SubmitValidAsync(() => Form.ToOperation(Service.Ref));

    private Task RemoveAsync() => SubmitAsync(Form.RemoveOperation(Service.Ref));
}
