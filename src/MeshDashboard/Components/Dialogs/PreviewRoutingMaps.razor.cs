using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Maps;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Dialogs;

/// <summary>
/// The preview dialog's picture of the change: the service's routing map on the mesh as it is and as the change would
/// leave it, laid out from the preview's two snapshots (nothing is read from the cluster). Boxes keep their places
/// between the two when only weights change, so the eye sees just the lines that moved.
/// </summary>
public sealed partial class PreviewRoutingMaps
{
    private readonly string _id = "preview-map-" + Guid.NewGuid().ToString("N")[..8];
    private MapLayout? _before;
    private MapLayout? _after;

    /// <summary>The service the change is for, as it is now.</summary>
    [Parameter, EditorRequired]
    public required MeshService Service { get; set; }

    [Parameter, EditorRequired]
    public required MeshSnapshot Before { get; set; }

    [Parameter, EditorRequired]
    public required MeshSnapshot After { get; set; }

    private IEnumerable<(string Title, MapLayout? Layout, ImmutableArray<string> Words, string Id)> Maps =>
    [
        ("Now", _before, _before is null ? [] : RoutingMapWords.Of(_before), "preview-map-before"),
        ("After this change", _after, _after is null ? [] : RoutingMapWords.Of(_after), "preview-map-after"),
    ];

    protected override void OnParametersSet()
    {
        _before = LayoutOf(Before);
        _after = LayoutOf(After);
        if (_before is not null && _after is not null)
        {
            _after = _after.MarkChangesSince(_before);
        }
    }

    private MapLayout? LayoutOf(MeshSnapshot snapshot) =>
        ServiceCatalog.Find(snapshot, Service.Namespace, Service.Name, withFindings: false) is { Routes.IsEmpty: false } service
            ? RoutingMap.Build(service)
            : null;
}
