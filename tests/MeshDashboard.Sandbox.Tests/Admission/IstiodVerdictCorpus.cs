using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests.Admission;

/// <summary>One case of istiod-verdicts.yaml: an object and what istiod says of it, with the test it was translated from.</summary>
public sealed record VerdictCase(string Id, string Cite, string Kind, string Verdict, string Level, JsonObject Object)
{
    public bool IstiodAccepts => Verdict is "accept" or "warn";

    public bool IsSchemaLevel => Level == "schema";

    public override string ToString() => Id;
}

/// <summary>Reads the corpus of istiod's verdicts (tests/MeshDashboard.Sandbox.Tests/Admission/istiod-verdicts.yaml).</summary>
public static partial class IstiodVerdictCorpus
{
    public static string FilePath { get; } = Path.Combine(RepositoryPaths.Root, "tests", "MeshDashboard.Sandbox.Tests", "Admission", "istiod-verdicts.yaml");

    public static IReadOnlyList<VerdictCase> Cases { get; } = Load();

    [GeneratedRegex(@"\{\{repeat (\S+) (\d+)\}\}")]
    private static partial Regex Repeat();

    private static List<VerdictCase> Load()
    {
        var root = YamlJson.ParseDocuments(File.ReadAllText(FilePath)).Single()!.AsArray();
        return [.. root.Select(node => Case(node!.AsObject()))];
    }

    private static VerdictCase Case(JsonObject entry)
    {
        var kind = (string)entry["kind"]!;
        var spec = Expand(entry["spec"]?.DeepClone() ?? new JsonObject());
        var candidate = new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = (string?)entry["name"] ?? "corpus",
                ["namespace"] = (string?)entry["namespace"] ?? "default",
            },
            ["spec"] = spec,
        };
        return new VerdictCase((string)entry["id"]!, (string)entry["cite"]!, kind, (string)entry["verdict"]!, (string?)entry["level"] ?? "semantic", candidate);
    }

    /// <summary>Replaces "{{repeat X N}}" in string values by N copies of X (for the size limits).</summary>
    private static JsonNode? Expand(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    obj[key] = Expand(obj[key]?.DeepClone());
                }
                return obj;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => Expand(item?.DeepClone()))]);
            case JsonValue value when value.TryGetValue<string>(out var text) && Repeat().IsMatch(text):
                return JsonValue.Create(Repeat().Replace(text, m => string.Concat(Enumerable.Repeat(m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))));
            default:
                return node;
        }
    }
}
