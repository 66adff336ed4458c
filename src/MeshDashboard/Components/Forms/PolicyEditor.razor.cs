using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>The circuit breaker tab: outlier detection, connection pool, load balancer and TLS of the DestinationRule.</summary>
public sealed partial class PolicyEditor : ValidatedServiceForm<PolicyFormModel>
{
    protected override void Load(MeshService service) => Start(PolicyFormModel.From(service));

    private void ChangeScope(string? scope) => Edit(PolicyFormModel.From(Service, NullIfEmpty(scope)));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private Task ApplyAsync() => SubmitValidAsync(() => Form.ToOperation(Service.Ref));
}
