using System.Collections.Immutable;

namespace MeshDashboard.Mesh.Maps;

/// <summary>The mesh map in sentences: each namespace (and each service of an open one), then the busiest calls first.</summary>
public static class MeshMapWords
{
    /// <summary>How many calls the text lists; the rest are summed up in one sentence.</summary>
    public const int MaxCalls = 50;

    public static ImmutableArray<string> Of(MapLayout layout)
    {
        var sentences = layout.Nodes.Select(n => n.Description + ".").ToList();
        var calls = layout.Edges.OrderByDescending(e => e.RequestsPerSecond ?? 0).ToList();
        sentences.AddRange(calls.Take(MaxCalls).Select(e => e.Description + "."));
        if (calls.Count > MaxCalls)
        {
            sentences.Add($"{calls.Count - MaxCalls} quieter calls are drawn but not listed here.");
        }
        if (calls.Count == 0)
        {
            sentences.Add("No calls between the services shown were measured in the last window.");
        }
        return [.. sentences];
    }
}
