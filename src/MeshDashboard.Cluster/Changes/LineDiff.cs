using System.Collections.Immutable;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace MeshDashboard.Cluster.Changes;

public enum DiffLineKind
{
    Unchanged,
    Removed,
    Added,

    /// <summary>A run of unchanged lines left out; <see cref="DiffLine.Text"/> says how many.</summary>
    Folded,
}

/// <summary>One line of a diff as a person reads it, with its number in the old and/or the new text.</summary>
public sealed record DiffLine(DiffLineKind Kind, string Text, int? OldNumber, int? NewNumber);

/// <summary>
/// The change between two YAML texts as structured lines (DiffPlex's inline model): within each changed block the
/// removed lines come before the added ones, and unchanged runs longer than a few lines around the changes are folded.
/// The UI draws these lines; it never parses diff text back.
/// </summary>
public static class LineDiff
{
    /// <summary>Unchanged lines kept on each side of a change.</summary>
    public const int Context = 3;

    private static readonly InlineDiffBuilder Builder = new(new Differ());

    /// <summary>The lines of the change; when nothing changed, the text itself as unchanged lines.</summary>
    public static ImmutableArray<DiffLine> Create(string before, string after)
    {
        before = Normalize(before);
        after = Normalize(after);
        // A created or deleted object: every line is new or gone (an empty text is no line at all, not one empty line).
        if (before.Length == 0)
        {
            return [.. Split(after).Select((text, i) => new DiffLine(DiffLineKind.Added, text, null, i + 1))];
        }
        if (after.Length == 0)
        {
            return [.. Split(before).Select((text, i) => new DiffLine(DiffLineKind.Removed, text, i + 1, null))];
        }
        var model = Builder.BuildDiffModel(before, after, ignoreWhitespace: false);
        var lines = new List<DiffLine>(model.Lines.Count);
        int oldNumber = 0, newNumber = 0;
        foreach (var piece in model.Lines)
        {
            switch (piece.Type)
            {
                case ChangeType.Deleted:
                    lines.Add(new DiffLine(DiffLineKind.Removed, piece.Text ?? "", ++oldNumber, null));
                    break;
                case ChangeType.Inserted:
                    lines.Add(new DiffLine(DiffLineKind.Added, piece.Text ?? "", null, ++newNumber));
                    break;
                case ChangeType.Imaginary:
                    break;
                default:
                    lines.Add(new DiffLine(DiffLineKind.Unchanged, piece.Text ?? "", ++oldNumber, ++newNumber));
                    break;
            }
        }
        return lines.All(l => l.Kind == DiffLineKind.Unchanged) ? [.. lines] : Fold(lines);
    }

    private static ImmutableArray<DiffLine> Fold(List<DiffLine> lines)
    {
        // Keep every line within Context lines of a change; each longer unchanged run becomes one Folded line.
        var keep = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Kind != DiffLineKind.Unchanged)
            {
                for (var j = Math.Max(0, i - Context); j <= Math.Min(lines.Count - 1, i + Context); j++)
                {
                    keep[j] = true;
                }
            }
        }
        var folded = ImmutableArray.CreateBuilder<DiffLine>();
        for (var i = 0; i < lines.Count;)
        {
            if (keep[i])
            {
                folded.Add(lines[i++]);
                continue;
            }
            var start = i;
            while (i < lines.Count && !keep[i])
            {
                i++;
            }
            var count = i - start;
            folded.Add(new DiffLine(DiffLineKind.Folded, count == 1 ? "1 unchanged line" : $"{count} unchanged lines", null, null));
        }
        return folded.ToImmutable();
    }

    private static string[] Split(string text) => text.Length == 0 ? [] : text.Split('\n');

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
}
