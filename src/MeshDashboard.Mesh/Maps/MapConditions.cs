using MeshDashboard.Mesh.Istio;

namespace MeshDashboard.Mesh.Maps;

/// <summary>
/// A match entry in words for someone who has never read Istio YAML: "header end-user is tester and path starts with
/// /api". All conditions of one entry must hold (AND); the map joins entries with "or when".
/// </summary>
public static class MapConditions
{
    public static string Describe(MatchView match)
    {
        var parts = new List<string>();
        parts.AddRange(match.Headers.Select(h => Condition($"header {h.Name}", h.Match)));
        parts.AddRange(match.WithoutHeaders.Select(h => h.Match.Kind == MatchKind.Present ? $"header {h.Name} is absent" : $"not ({Condition($"header {h.Name}", h.Match)})"));
        parts.AddRange(match.QueryParams.Select(q => Condition($"query parameter {q.Name}", q.Match)));
        if (match.Uri is { } uri)
        {
            parts.Add(Condition("path", uri) + (match.IgnoreUriCase ? " (any case)" : ""));
        }
        if (match.Method is { } method)
        {
            parts.Add(Condition("method", method));
        }
        if (match.Authority is { } authority)
        {
            parts.Add(Condition("host", authority));
        }
        if (match.Scheme is { } scheme)
        {
            parts.Add(Condition("scheme", scheme));
        }
        if (match.Port is { } port)
        {
            parts.Add($"port is {port}");
        }
        if (!match.SourceLabels.IsEmpty)
        {
            parts.Add($"the caller's pods have {string.Join(", ", match.SourceLabels.Select(l => $"{l.Key}={l.Value}"))}");
        }
        if (match.SourceNamespace is { } ns)
        {
            parts.Add($"the caller is in namespace {ns}");
        }
        if (!match.Gateways.IsEmpty)
        {
            parts.Add($"arriving {string.Join(" or ", match.Gateways.Select(g => g == "mesh" ? "from inside the mesh" : "at gateway " + g))}");
        }
        if (match.HasOtherConditions)
        {
            parts.Add("other conditions");
        }
        return parts.Count == 0 ? "every request" : string.Join(" and ", parts);
    }

    private static string Condition(string subject, StringMatch match) => match.Kind switch
    {
        MatchKind.Exact => $"{subject} is {match.Value}",
        MatchKind.Prefix => $"{subject} starts with {match.Value}",
        MatchKind.Regex => $"{subject} matches /{match.Value}/",
        _ => $"{subject} is present",
    };
}
