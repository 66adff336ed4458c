using System.Globalization;
using MeshDashboard.Mesh.Maps;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace MeshDashboard.Components.Controls;

/// <summary>
/// Draws a <see cref="MapLayout"/> as SVG. Boxes the page can act on are buttons: focusable, activated by a click,
/// Enter or Space, and named by their description; the others are images with the same description. Colours come
/// from the theme's CSS variables (app.css, .md-map), so the map follows the light and the dark theme.
/// </summary>
public sealed partial class MapCanvas
{
    [Parameter, EditorRequired]
    public required MapLayout Layout { get; set; }

    /// <summary>What the map is, for screen readers (the drawing's own name).</summary>
    [Parameter, EditorRequired]
    public required string Label { get; set; }

    /// <summary>The id of the text that says in words what the map draws.</summary>
    [Parameter]
    public string? DescribedBy { get; set; }

    [Parameter]
    public string TestId { get; set; } = "map";

    /// <summary>Which boxes act when activated; none when null.</summary>
    [Parameter]
    public Func<MapNode, bool>? CanActivate { get; set; }

    [Parameter]
    public EventCallback<MapNode> OnActivate { get; set; }

    /// <summary>Arrowheads on the lines (where direction is not read from left to right).</summary>
    [Parameter]
    public bool Arrows { get; set; }

    // Marker ids must be unique in the document: two maps side by side (before/after) each have their own.
    private readonly string ArrowId = "md-arrow-" + Guid.NewGuid().ToString("N")[..8];

    private bool IsActive(MapNode node) => CanActivate?.Invoke(node) == true;

    private Task ActivateAsync(MapNode node) => IsActive(node) ? OnActivate.InvokeAsync(node) : Task.CompletedTask;

    private Task KeyAsync(KeyboardEventArgs e, MapNode node) =>
        e.Key is "Enter" or " " ? ActivateAsync(node) : Task.CompletedTask;

    private static string NodeClass(MapNode node, bool active) =>
        $"md-node md-kind-{node.Kind.ToString().ToLowerInvariant()} md-tone-{Tone(node.Tone)}{(active ? " md-active" : "")}{(node.Expanded ? " md-expanded" : "")}";

    private static string EdgeClass(MapEdge edge) =>
        $"md-edge md-edge-{edge.Kind.ToString().ToLowerInvariant()} md-tone-{Tone(edge.Tone)}{(edge.Changed ? " md-changed" : "")}";

    internal static string Tone(MapTone tone) => tone.ToString().ToLowerInvariant();

    internal static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
