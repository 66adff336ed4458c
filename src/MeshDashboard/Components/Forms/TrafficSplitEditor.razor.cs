using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Traffic;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>The traffic split tab: a slider and an exact field per subset, locks, even split, route-all-to.</summary>
public sealed partial class TrafficSplitEditor : ServiceFormBase
{
    private static readonly string[] Palette = ["#1e88e5", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#e53935"];
    private TrafficSplitModel _model = null!;

    /// <summary>The service's live figures, shown beside each slider; null until the first read.</summary>
    [Microsoft.AspNetCore.Components.Parameter]
    public ServiceTraffic? Traffic { get; set; }

    protected override void Load(MeshService service) => _model = TrafficSplitModel.From(service);

    private void Move(string subset, int value) => _model = _model.Move(subset, value);

    private void ToggleLock(string subset) => _model = _model.ToggleLock(subset);

    private void Even() => _model = _model.Even();

    private void AllTo(string subset) => _model = _model.AllTo(subset);

    private void Reset() => _model = _model.Reset();

    private SplitBar CurrentBar => Bar("now", s => _model.CurrentOf(s));

    private SplitBar ProposedBar => Bar("proposed", s => _model.ProposedOf(s));

    private SplitBar Bar(string label, Func<string, int> weight) => new(
        label,
        "everyone else",
        [.. _model.Subsets.Select((s, i) => new SplitSegment(s, weight(s), Palette[i % Palette.Length])).Where(s => s.Percent > 0)]);

    private Task ApplyAsync() => SubmitAsync(_model.ToOperation(Service.Ref));
}
