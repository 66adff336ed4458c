using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>The circuit breaker tab: outlier detection, connection pool, load balancer and TLS of the DestinationRule.</summary>
public sealed partial class PolicyEditor : ServiceFormBase
{
    private PolicyFormModel _model = null!;
    private ImmutableDictionary<string, string> _errors = ImmutableDictionary<string, string>.Empty;

    protected override void Load(MeshService service) => Edit(PolicyFormModel.From(service));

    private void ChangeScope(string? scope) => Edit(PolicyFormModel.From(Service, NullIfEmpty(scope)));

    private void Edit(PolicyFormModel model)
    {
        _model = model;
        _errors = model.Validate();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private bool HasError(string field) => _errors.ContainsKey(field);

    private string? ErrorOf(string field) => _errors.GetValueOrDefault(field);

    private Task ApplyAsync() => SubmitAsync(_model.ToOperation(Service.Ref));
}
