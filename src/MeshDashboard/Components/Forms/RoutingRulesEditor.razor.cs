using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>The routing rules tab (dark launch): ordered rules of ANDed conditions (with optional ORed sets), each sending to a subset.</summary>
public sealed partial class RoutingRulesEditor : ServiceFormBase
{
    private RuleEditorModel _model = null!;
    private ImmutableDictionary<string, string> _errors = ImmutableDictionary<string, string>.Empty;

    protected override void Load(MeshService service) => Set(RuleEditorModel.From(service));

    private void Edit(Func<RuleEditorModel, RuleEditorModel> change) => Set(change(_model));

    private void Set(RuleEditorModel model)
    {
        _model = model;
        _errors = model.Validate();
    }

    private bool HasError(string field) => _errors.ContainsKey(field);

    private string? ErrorOf(string field) => _errors.GetValueOrDefault(field);

    /// <summary>A condition control's test id; the first set keeps the short form ("condition-name-0-1").</summary>
    private static string Id(string what, int rule, int set, int condition) =>
        set == 0 ? $"{what}-{rule}-{condition}" : $"{what}-{rule}-or{set}-{condition}";

    private static string KindText(ConditionKind kind) => kind switch
    {
        ConditionKind.Header => "header",
        ConditionKind.WithoutHeader => "without header",
        ConditionKind.QueryParam => "query parameter",
        ConditionKind.Uri => "uri",
        _ => "method",
    };

    private Task ApplyAsync() => SubmitAsync(_model.ToOperation(Service.Ref));
}
