using System.Collections.Immutable;

namespace MeshDashboard.Model;

public enum DiffLineKind
{
    Context,
    Header,
    Added,
    Removed,
}

/// <summary>One line of a unified diff, classified for colouring.</summary>
public sealed record DiffLine(DiffLineKind Kind, string Text)
{
    public string CssClass => Kind switch
    {
        DiffLineKind.Added => "add",
        DiffLineKind.Removed => "del",
        DiffLineKind.Header => "hdr",
        _ => "ctx",
    };

    public static ImmutableArray<DiffLine> Parse(string unifiedDiff) =>
    [
        .. unifiedDiff.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').Select(line => new DiffLine(
            line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("@@", StringComparison.Ordinal)
                ? DiffLineKind.Header
                : line.StartsWith('+') ? DiffLineKind.Added
                : line.StartsWith('-') ? DiffLineKind.Removed
                : DiffLineKind.Context,
            line)),
    ];
}
