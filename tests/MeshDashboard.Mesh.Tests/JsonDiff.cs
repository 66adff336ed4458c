using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Tests;

/// <summary>
/// A structural diff of two JSON trees as the set of paths that differ, for asserting "this operation changed exactly
/// these fields". Paths read like <c>spec.http[0].route[1].weight</c>. Besides changed values it reports
/// <list type="bullet">
/// <item><c>path (created)</c> / <c>path (deleted)</c> for a whole document that appears or goes,</item>
/// <item><c>path[i] (added)</c> (index in the new list) and <c>path[i] (removed)</c> (index in the old list) for list
/// entries, matching unchanged entries first so one insertion does not show as every later entry changing,</item>
/// <item><c>path (key order)</c> when an object keeps its keys but in another order.</item>
/// </list>
/// Numbers are compared by value (100 equals 100.0); strings, booleans and nulls exactly.
/// </summary>
internal static class JsonDiff
{
    public static SortedSet<string> Paths(JsonNode? before, JsonNode? after)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        if (before is null && after is not null)
        {
            paths.Add("(created)");
        }
        else if (before is not null && after is null)
        {
            paths.Add("(deleted)");
        }
        else
        {
            Compare(before, after, "", paths);
        }
        return paths;
    }

    private static void Compare(JsonNode? before, JsonNode? after, string path, SortedSet<string> paths)
    {
        switch (before, after)
        {
            case (JsonObject b, JsonObject a):
                foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    if (!b.ContainsKey(key) || !a.ContainsKey(key))
                    {
                        paths.Add(child);
                    }
                    else
                    {
                        Compare(b[key], a[key], child, paths);
                    }
                }
                var common = b.Select(p => p.Key).Where(a.ContainsKey).ToList();
                if (!common.SequenceEqual(a.Select(p => p.Key).Where(b.ContainsKey)))
                {
                    paths.Add($"{path} (key order)");
                }
                break;
            case (JsonArray b, JsonArray a):
                CompareLists(b, a, path, paths);
                break;
            default:
                if (!JsonNode.DeepEquals(before, after))
                {
                    paths.Add(path);
                }
                break;
        }
    }

    /// <summary>
    /// Lines the lists up on their unchanged entries (longest common subsequence of exactly equal entries); in each
    /// gap between those, pairs entries with the same identity (a <c>name</c>, or the same <c>destination</c> host and
    /// subset), then by position, and reports the rest as added or removed.
    /// </summary>
    private static void CompareLists(JsonArray before, JsonArray after, string path, SortedSet<string> paths)
    {
        var b = before.Select(Text).ToArray();
        var a = after.Select(Text).ToArray();
        var lcs = new int[b.Length + 1, a.Length + 1];
        for (var i = b.Length - 1; i >= 0; i--)
        {
            for (var j = a.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = b[i] == a[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var gapBefore = new List<int>();
        var gapAfter = new List<int>();
        int x = 0, y = 0;
        while (x < b.Length || y < a.Length)
        {
            if (x < b.Length && y < a.Length && b[x] == a[y])
            {
                Gap(before, after, gapBefore, gapAfter, path, paths);
                x++;
                y++;
            }
            else if (y < a.Length && (x == b.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                gapAfter.Add(y++);
            }
            else
            {
                gapBefore.Add(x++);
            }
        }
        Gap(before, after, gapBefore, gapAfter, path, paths);
    }

    private static void Gap(JsonArray before, JsonArray after, List<int> gapBefore, List<int> gapAfter, string path, SortedSet<string> paths)
    {
        var pairs = new List<(int B, int A)>();
        foreach (var i in gapBefore.ToList())
        {
            var id = Identity(before[i]);
            var j = id is null ? -1 : gapAfter.FirstOrDefault(j => Identity(after[j]) == id, -1);
            if (j >= 0)
            {
                pairs.Add((i, j));
                gapBefore.Remove(i);
                gapAfter.Remove(j);
            }
        }
        var positional = Math.Min(gapBefore.Count, gapAfter.Count);
        pairs.AddRange(gapBefore.Take(positional).Zip(gapAfter.Take(positional)));
        foreach (var (i, j) in pairs)
        {
            Compare(before[i], after[j], $"{path}[{j}]", paths);
        }
        foreach (var i in gapBefore.Skip(positional))
        {
            paths.Add($"{path}[{i}] (removed)");
        }
        foreach (var j in gapAfter.Skip(positional))
        {
            paths.Add($"{path}[{j}] (added)");
        }
        gapBefore.Clear();
        gapAfter.Clear();
    }

    private static string? Identity(JsonNode? node) => node switch
    {
        JsonObject o when o["name"] is JsonValue name => "name:" + name.ToJsonString(),
        JsonObject o when o["destination"] is JsonObject d => $"destination:{d["host"]?.ToJsonString()}/{d["subset"]?.ToJsonString()}",
        _ => null,
    };

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";
}
