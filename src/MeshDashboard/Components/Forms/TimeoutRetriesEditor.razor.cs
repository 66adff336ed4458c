using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>The resilience tab's timeout and retries form: how long one rule's requests may take, and how they are retried.</summary>
public sealed partial class TimeoutRetriesEditor : ServiceFormBase
{
    private TimeoutRetriesFormModel _model = null!;
    private ImmutableDictionary<string, string> _errors = ImmutableDictionary<string, string>.Empty;

    protected override void Load(MeshService service) => Edit(TimeoutRetriesFormModel.From(service));

    private void Edit(TimeoutRetriesFormModel model)
    {
        _model = model;
        _errors = model.Validate();
    }

    private bool HasError(string field) => _errors.ContainsKey(field);

    private string? ErrorOf(string field) => _errors.GetValueOrDefault(field);

    private Task ApplyAsync() => SubmitAsync(_model.ToOperation(Service.Ref));
}
