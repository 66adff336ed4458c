using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Traffic;
using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Forms;

/// <summary>
/// A traffic split: a slider and an exact field per subset, locks, even split, route-all-to. It splits the HTTP
/// default route, or with <see cref="TcpRoute"/> one TCP route of the mesh VirtualService, with the same controls.
/// </summary>
public sealed partial class TrafficSplitEditor : ServiceFormBase
{
    private TrafficSplitModel _model = null!;

    /// <summary>The TCP route (<c>spec.tcp[i]</c>) to split; null for the HTTP default route.</summary>
    [Parameter]
    public int? TcpRoute { get; set; }

    /// <summary>Prefix of the controls' test ids, distinct per editor when a page shows several.</summary>
    private string Id(string control, string? subset = null) =>
        (TcpRoute is { } route ? $"tcp{route}-" : "") + control + (subset is null ? "" : $"-{subset}");

    /// <summary>Names the route in the controls' accessible names when the page has more than one split.</summary>
    private string RouteWords => TcpRoute is { } route ? $" in TCP route {route}" : "";

    /// <summary>The service's live figures, shown beside each slider; null until the first read.</summary>
    [Parameter]
    public ServiceTraffic? Traffic { get; set; }

    protected override void Load(MeshService service) => _model = ModelOf(service);

    /// <summary>Someone changed the split: the "now" figures and bar show it, the person's proposal stays.</summary>
    protected override void Follow(MeshService live) => _model = _model.Follow(ModelOf(live));

    private TrafficSplitModel ModelOf(MeshService service) =>
        TcpRoute is { } index && service.MeshRoute?.VirtualService.Tcp is { } tcp && index < tcp.Length
            ? TrafficSplitModel.FromTcp(service, tcp[index])
            : TrafficSplitModel.From(service);

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
        [.. _model.Subsets.Select((s, i) => new SplitSegment(s, weight(s), SubsetColors.At(i))).Where(s => s.Percent > 0)]);

    private Task ApplyAsync() => SubmitAsync(_model.ToOperation(Service.Ref));
}
