using MeshDashboard.Mesh.Traffic;
using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Controls;

/// <summary>
/// One overview row. Rows are made once per service state (<see cref="ServiceRow.Of"/>), so a row handed the same
/// object again (and the same figures) shows the same thing: it skips rendering, and a live update re-renders only the
/// rows that changed.
/// </summary>
public sealed partial class ServiceRowView
{
    private (ServiceRow? Row, TrafficFigures? Figures, string? Blank) _rendered;

    [Parameter, EditorRequired]
    public required ServiceRow Row { get; set; }

    /// <summary>The service's live figures; null when it had no requests in the window or figures are unavailable.</summary>
    [Parameter]
    public TrafficFigures? Figures { get; set; }

    /// <summary>What an empty figure cell says: "0 rps" when figures are live, a dash when there are none.</summary>
    [Parameter]
    public string Blank { get; set; } = "–";

    protected override bool ShouldRender() =>
        !ReferenceEquals(_rendered.Row, Row) || !Equals(_rendered.Figures, Figures) || _rendered.Blank != Blank;

    protected override void OnAfterRender(bool firstRender) => _rendered = (Row, Figures, Blank);
}
