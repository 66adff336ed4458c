using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Components.Forms;

/// <summary>
/// Shown for a service without DestinationRule and VirtualService: creates both (subsets from a pod label), through the
/// same preview and apply as every other change.
/// </summary>
public sealed partial class RoutingSetupPanel : ServiceFormBase
{
    private string _labelKey = "version";

    protected override void Load(MeshService service) => _labelKey = "version";

    private string? ErrorOf(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;

    private Task CreateAsync() => SubmitAsync(new CreateRouting(Service.Ref, _labelKey));
}
