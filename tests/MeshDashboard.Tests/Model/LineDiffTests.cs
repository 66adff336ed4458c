using MeshDashboard.Cluster.Changes;

namespace MeshDashboard.Tests.Model;

/// <summary>The structured lines the preview and the history draw (LineDiff lives in the Cluster layer; the UI draws it).</summary>
public sealed class LineDiffTests
{
    [Fact]
    public void ChangedLine_ShowsTheRemovedLineBeforeTheAddedOne_WithTheirNumbers()
    {
        var lines = LineDiff.Create("a\nweight: 25\nb\n", "a\nweight: 50\nb\n");

        Assert.Equal(
            [
                new DiffLine(DiffLineKind.Unchanged, "a", 1, 1),
                new DiffLine(DiffLineKind.Removed, "weight: 25", 2, null),
                new DiffLine(DiffLineKind.Added, "weight: 50", null, 2),
                new DiffLine(DiffLineKind.Unchanged, "b", 3, 3),
            ],
            lines);
    }

    [Fact]
    public void LongUnchangedRuns_AreFoldedToOneLine_KeepingThreeLinesAroundTheChange()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}"));
        var after = before.Replace("line 10", "line ten", StringComparison.Ordinal);

        var lines = LineDiff.Create(before, after);

        Assert.Equal(DiffLineKind.Folded, lines[0].Kind);
        Assert.Equal("6 unchanged lines", lines[0].Text);
        Assert.Equal(["line 7", "line 8", "line 9", "line 10", "line ten", "line 11", "line 12", "line 13"], lines[1..9].Select(l => l.Text));
        Assert.Equal("7 unchanged lines", lines[^1].Text);
    }

    [Fact]
    public void NewObject_IsAllAddedLines()
    {
        var lines = LineDiff.Create("", "kind: VirtualService\nspec: {}\n");

        Assert.All(lines, l => Assert.Equal(DiffLineKind.Added, l.Kind));
        Assert.Equal(["kind: VirtualService", "spec: {}"], lines.Select(l => l.Text));
    }

    [Fact]
    public void NothingChanged_IsTheTextItselfAsUnchangedLines()
    {
        var lines = LineDiff.Create("a\nb\n", "a\nb\n");

        Assert.Equal([DiffLineKind.Unchanged, DiffLineKind.Unchanged], lines.Select(l => l.Kind));
    }
}
