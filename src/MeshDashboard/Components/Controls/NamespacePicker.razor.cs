using System.Collections.Immutable;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Controls;

/// <summary>
/// The overview's namespace choice: one item per namespace. It renders only when the namespaces or the choice change, not
/// when the page does: a search keystroke re-renders the overview, and redrawing a picker of fifty namespaces (each
/// item a component) on every keystroke was work for nothing.
/// </summary>
public sealed partial class NamespacePicker
{
    private (ImmutableArray<string> Namespaces, IReadOnlyCollection<string>? Selected, string? Text)? _rendered;

    /// <summary>Every namespace that can be chosen, in the order shown.</summary>
    [Parameter, EditorRequired]
    public required ImmutableArray<string> Namespaces { get; set; }

    /// <summary>The chosen namespaces; none means all.</summary>
    [Parameter, EditorRequired]
    public required IReadOnlyCollection<string> Selected { get; set; }

    [Parameter]
    public EventCallback<IEnumerable<string>> SelectedChanged { get; set; }

    /// <summary>What the closed picker says ("All namespaces", or the chosen ones).</summary>
    [Parameter, EditorRequired]
    public required string Text { get; set; }

    private Task OnSelectedValuesChanged(IEnumerable<string?>? values) => SelectedChanged.InvokeAsync([.. (values ?? []).OfType<string>()]);

    // The namespaces are compared by value (the page lists them again on every change of the mesh); the choice is the
    // same set until someone changes it.
    protected override bool ShouldRender() =>
        _rendered is not { } last
        || !last.Namespaces.SequenceEqual(Namespaces) || !ReferenceEquals(last.Selected, Selected) || last.Text != Text;

    protected override void OnAfterRender(bool firstRender) => _rendered = (Namespaces, Selected, Text);
}
