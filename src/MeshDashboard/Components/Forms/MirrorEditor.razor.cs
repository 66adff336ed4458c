using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>The resilience tab's mirror form: a shadow copy of one rule's requests to a subset, never answered from.</summary>
public sealed partial class MirrorEditor : ServiceFormBase
{
    private MirrorFormModel _model = null!;
    private ImmutableDictionary<string, string> _errors = ImmutableDictionary<string, string>.Empty;

    protected override void Load(MeshService service) => Edit(MirrorFormModel.From(service));

    private void Edit(MirrorFormModel model)
    {
        _model = model;
        _errors = model.Validate();
    }

    private bool HasError(string field) => _errors.ContainsKey(field);

    private string? ErrorOf(string field) => _errors.GetValueOrDefault(field);

    private Task ApplyAsync() => SubmitAsync(_model.ToOperation(Service.Ref));

    private Task RemoveAsync() => SubmitAsync(_model.RemoveOperation(Service.Ref));
}
