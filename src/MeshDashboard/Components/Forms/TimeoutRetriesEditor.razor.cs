using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>The resilience tab's timeout and retries form: how long one rule's requests may take, and how they are retried.</summary>
public sealed partial class TimeoutRetriesEditor : ValidatedServiceForm<TimeoutRetriesFormModel>
{
    protected override void Load(MeshService service) => Start(TimeoutRetriesFormModel.From(service));

    private Task ApplyAsync() => SubmitValidAsync(() => Form.ToOperation(Service.Ref));
}
