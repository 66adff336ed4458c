using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Dialogs;

/// <summary>
/// The preview dialog's "try a request": one request, simulated on the mesh as it is and as the change would leave
/// it, side by side. It opens on the request the change is about (the values its new rule matches) and follows
/// each keystroke at once: both simulations run in memory on two fixed snapshots.
/// </summary>
public sealed partial class PreviewSimulation
{
    private SimulationFormModel _model = null!;
    private ImmutableDictionary<string, string> _errors = ImmutableDictionary<string, string>.Empty;
    private SimulationComparison? _comparison;

    /// <summary>The service the change is for, as it is now.</summary>
    [Parameter, EditorRequired]
    public required MeshService Service { get; set; }

    [Parameter, EditorRequired]
    public required MeshSnapshot Before { get; set; }

    [Parameter, EditorRequired]
    public required MeshSnapshot After { get; set; }

    private KeyValueRow Header => _model.Headers.FirstOrDefault() ?? KeyValueRow.Empty;

    protected override void OnInitialized()
    {
        var after = ServiceCatalog.Find(After, Service.Namespace, Service.Name, withFindings: false);
        Edit(SimulationComparison.SuggestedRequest(Service, after));
    }

    private void EditHeader(KeyValueRow row) =>
        Edit(_model with { Headers = _model.Headers.IsEmpty ? [row] : _model.Headers.SetItem(0, row) });

    private void Edit(SimulationFormModel model)
    {
        _model = model;
        _errors = model.Validate();
        _comparison = _errors.IsEmpty
            ? SimulationComparison.Of(Before, After, model.ToRequest(), [.. Service.Subsets.Select(s => s.Name).Distinct()])
            : null;
    }
}
