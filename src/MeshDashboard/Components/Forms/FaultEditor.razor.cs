using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>The fault injection tab: abort and/or delay a share of the requests one rule serves.</summary>
public sealed partial class FaultEditor : ServiceFormBase
{
    private FaultFormModel _model = null!;
    private ImmutableDictionary<string, string> _errors = ImmutableDictionary<string, string>.Empty;

    protected override void Load(MeshService service) => Edit(FaultFormModel.From(service));

    private void Edit(FaultFormModel model)
    {
        _model = model;
        _errors = model.Validate();
    }

    private bool HasError(string field) => _errors.ContainsKey(field);

    private string? ErrorOf(string field) => _errors.GetValueOrDefault(field);

    private Task ApplyAsync() => SubmitAsync(_model.ToOperation(Service.Ref));

    private Task RemoveAsync() => SubmitAsync(_model.RemoveOperation(Service.Ref));
}
