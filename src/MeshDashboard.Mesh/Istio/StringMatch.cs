using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Istio;

public enum MatchKind
{
    Exact,
    Prefix,
    Regex,
    /// <summary>An empty match (<c>{}</c>): the header is present, whatever its value.</summary>
    Present,
}

/// <summary>Istio's StringMatch: exactly one of exact, prefix or regex (RE2), or empty for "present".</summary>
public sealed record StringMatch(MatchKind Kind, string Value)
{
    public static StringMatch? From(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }
        if (obj.Str("exact") is { } exact)
        {
            return new StringMatch(MatchKind.Exact, exact);
        }
        if (obj.Str("prefix") is { } prefix)
        {
            return new StringMatch(MatchKind.Prefix, prefix);
        }
        if (obj.Str("regex") is { } regex)
        {
            return new StringMatch(MatchKind.Regex, regex);
        }
        return new StringMatch(MatchKind.Present, "");
    }

    public JsonObject ToJson() => Kind switch
    {
        MatchKind.Exact => new JsonObject { ["exact"] = Value },
        MatchKind.Prefix => new JsonObject { ["prefix"] = Value },
        MatchKind.Regex => new JsonObject { ["regex"] = Value },
        _ => new JsonObject(),
    };

    public string Describe(string subject) => Kind switch
    {
        MatchKind.Exact => $"{subject}: {Value}",
        MatchKind.Prefix => $"{subject} starts with {Value}",
        MatchKind.Regex => $"{subject} ~ /{Value}/",
        _ => $"{subject} present",
    };
}
