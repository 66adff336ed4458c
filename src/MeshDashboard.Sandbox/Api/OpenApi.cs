using System.Text.Json.Nodes;

namespace MeshDashboard.Sandbox.Api;

/// <summary>
/// The OpenAPI v3 discovery kubectl reads before a write: which paths exist per group-version, and that
/// their PATCH accepts <c>fieldValidation</c> and <c>dryRun</c>. With it kubectl leaves validation to the
/// server (<c>fieldValidation=Strict</c>), as against a real API server. Schemas are not published here.
/// </summary>
internal static class OpenApi
{
    private static readonly string[] WriteParameters = ["dryRun", "fieldManager", "fieldValidation", "force", "pretty"];

    public static JsonObject Root(TypeRegistry types)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in GroupVersions(types))
        {
            var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={HashOf(types, group, version)}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(TypeRegistry registry, string group, string version)
    {
        var types = registry.InGroupVersion(group, version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var paths = new JsonObject();
        foreach (var type in types)
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"{prefix}/{type.Plural}";
            var gvk = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = type.Kind };
            paths[collection] = new JsonObject
            {
                ["get"] = Operation("list", gvk),
                ["post"] = Operation("post", gvk, WriteParameters),
            };
            paths[$"{collection}/{{name}}"] = new JsonObject
            {
                ["get"] = Operation("get", gvk),
                ["put"] = Operation("put", gvk, WriteParameters),
                ["patch"] = Operation("patch", gvk, WriteParameters),
                ["delete"] = Operation("delete", gvk, ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.35.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject Operation(string action, JsonObject gvk, IEnumerable<string>? parameters = null) => new()
    {
        ["operationId"] = action + (string?)gvk["kind"],
        ["x-kubernetes-action"] = action,
        ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        ["parameters"] = new JsonArray((parameters ?? []).Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p,
            ["in"] = "query",
            ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
        }).ToArray()),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
    };

    private static IEnumerable<(string Group, string Version)> GroupVersions(TypeRegistry types) =>
        types.All.SelectMany(t => t.Versions.Select(v => (t.Group, v))).Distinct();

    private static string HashOf(TypeRegistry types, string group, string version) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{group}/{version}/{types.Generation}")))[..16];
}
