using System.Text;

namespace MeshDashboard.Cluster.Changes;

/// <summary>A line diff in unified format (as <c>diff -u</c> prints it), from a longest-common-subsequence alignment.</summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    public static string Create(string before, string after, string beforeLabel, string afterLabel)
    {
        var a = Lines(before);
        var b = Lines(after);
        var edits = Align(a, b);
        if (edits.All(e => e.Kind == ' '))
        {
            return "";
        }

        var output = new StringBuilder();
        output.Append("--- ").Append(beforeLabel).Append('\n');
        output.Append("+++ ").Append(afterLabel).Append('\n');

        var index = 0;
        while (index < edits.Count)
        {
            // Find the next change, then grow a hunk around it while changes stay within 2×context lines.
            var firstChange = edits.FindIndex(index, e => e.Kind != ' ');
            if (firstChange < 0)
            {
                break;
            }
            var start = Math.Max(index, firstChange - Context);
            var end = firstChange;
            while (true)
            {
                var next = edits.FindIndex(end + 1, e => e.Kind != ' ');
                var lastChange = end;
                if (next < 0 || next - lastChange > 2 * Context)
                {
                    end = Math.Min(edits.Count, lastChange + Context + 1);
                    break;
                }
                end = next;
            }

            var hunk = edits.GetRange(start, end - start);
            var oldStart = hunk.FirstOrDefault(e => e.Kind != '+').OldLine;
            var newStart = hunk.FirstOrDefault(e => e.Kind != '-').NewLine;
            output.Append("@@ -").Append(oldStart + 1).Append(',').Append(hunk.Count(e => e.Kind != '+'))
                  .Append(" +").Append(newStart + 1).Append(',').Append(hunk.Count(e => e.Kind != '-')).Append(" @@\n");
            foreach (var edit in hunk)
            {
                output.Append(edit.Kind).Append(edit.Text).Append('\n');
            }
            index = end;
        }
        return output.ToString();
    }

    private readonly record struct Edit(char Kind, string Text, int OldLine, int NewLine);

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');

    private static List<Edit> Align(string[] a, string[] b)
    {
        // Trim the common prefix and suffix first: configuration edits are small, so the table stays small.
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix])
        {
            suffix++;
        }
        var n = a.Length - prefix - suffix;
        var m = b.Length - prefix - suffix;
        var lengths = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lengths[i, j] = a[prefix + i] == b[prefix + j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var edits = new List<Edit>();
        for (var k = 0; k < prefix; k++)
        {
            edits.Add(new Edit(' ', a[k], k, k));
        }
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[prefix + x] == b[prefix + y])
            {
                edits.Add(new Edit(' ', a[prefix + x], prefix + x, prefix + y));
                x++;
                y++;
            }
            else if (y < m && (x == n || lengths[x, y + 1] >= lengths[x + 1, y]))
            {
                edits.Add(new Edit('+', b[prefix + y], prefix + x, prefix + y));
                y++;
            }
            else
            {
                edits.Add(new Edit('-', a[prefix + x], prefix + x, prefix + y));
                x++;
            }
        }
        for (var k = 0; k < suffix; k++)
        {
            edits.Add(new Edit(' ', a[a.Length - suffix + k], a.Length - suffix + k, b.Length - suffix + k));
        }
        return edits;
    }
}
