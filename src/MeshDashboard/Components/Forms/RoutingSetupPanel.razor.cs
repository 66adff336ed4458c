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

    /// <summary>Starts from <c>version</c> when the pods carry it, else from the label with the most distinct values.</summary>
    protected override void Load(MeshService service) =>
        _labelKey = service.PodLabels.Any(l => l.Key == "version") || service.PodLabels.IsEmpty ? "version" : service.PodLabels[0].Key;

    private string? ErrorOf(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;

    private Task CreateAsync() => SubmitAsync(new CreateRouting(Service.Ref, _labelKey));
}
