using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Operations;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Forms;

/// <summary>
/// Shown for a service without DestinationRule and VirtualService: creates both (subsets from a pod label), through the
/// same preview and apply as every other change.
/// </summary>
public sealed partial class RoutingSetupPanel : ServiceFormBase
{
    private string _labelKey = "version";

    /// <summary>The labels on the service's pods that could become subsets, most distinct values first.</summary>
    [Parameter]
    public ImmutableArray<PodLabelSpread> PodLabels { get; set; } = [];

    /// <summary>Starts from <c>version</c> when the pods carry it, else from the label with the most distinct values.</summary>
    protected override void Load(MeshService service) =>
        _labelKey = PodLabels.Any(l => l.Key == "version") || PodLabels.IsEmpty ? "version" : PodLabels[0].Key;

    private string? ErrorOf(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;

    private Task CreateAsync() => SubmitAsync(new CreateRouting(Service.Ref, _labelKey));
}
