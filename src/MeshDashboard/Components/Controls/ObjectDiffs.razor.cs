using System.Collections.Immutable;
using MeshDashboard.Cluster.Changes;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Controls;

/// <summary>Each changed object as compact numbered lines: removed (−) before added (+), unchanged runs folded.</summary>
public sealed partial class ObjectDiffs
{
    private ImmutableArray<ObjectDiff> _shown = [];
    private IReadOnlyList<(ObjectDiff Object, ImmutableArray<DiffLine> Lines)> _objects = [];

    [Parameter, EditorRequired]
    public ImmutableArray<ObjectDiff> Objects { get; set; }

    // Diffed once per set of objects, not on every render of the dialog (typing a reason re-renders it).
    protected override void OnParametersSet()
    {
        if (_shown != Objects)
        {
            _shown = Objects;
            _objects = Objects.IsDefault ? [] : [.. Objects.Select(o => (o, LineDiff.Create(o.BeforeYaml, o.AfterYaml)))];
        }
    }

    private static string CssClassOf(DiffLineKind kind) => kind switch
    {
        DiffLineKind.Added => "md-diff-line add",
        DiffLineKind.Removed => "md-diff-line del",
        DiffLineKind.Folded => "md-diff-line fold",
        _ => "md-diff-line ctx",
    };

    private static string SignOf(DiffLineKind kind) => kind switch
    {
        DiffLineKind.Added => "+",
        DiffLineKind.Removed => "−",
        DiffLineKind.Folded => "⋯",
        _ => "",
    };

    private static string? SignLabelOf(DiffLineKind kind) => kind switch
    {
        DiffLineKind.Added => "added",
        DiffLineKind.Removed => "removed",
        _ => null,
    };
}
