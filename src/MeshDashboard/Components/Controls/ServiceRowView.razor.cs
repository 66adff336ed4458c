using MeshDashboard.Model;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Controls;

/// <summary>
/// One overview row. Rows are made once per service state (<see cref="ServiceRow.Of"/>), so a row handed the same
/// object again shows the same thing: it skips rendering, and a live update re-renders only the rows that changed.
/// </summary>
public sealed partial class ServiceRowView
{
    private ServiceRow? _rendered;

    [Parameter, EditorRequired]
    public required ServiceRow Row { get; set; }

    protected override bool ShouldRender() => !ReferenceEquals(_rendered, Row);

    protected override void OnAfterRender(bool firstRender) => _rendered = Row;
}
