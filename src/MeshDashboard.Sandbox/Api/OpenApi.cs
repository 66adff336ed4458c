using System.Text.Json.Nodes;

namespace MeshDashboard.Sandbox.Api;

/// <summary>
/// The OpenAPI documents clients read: v3 per group-version (kubectl reads it before a write, to learn that PATCH accepts
/// <c>fieldValidation</c> and so leave validation to the server, and for <c>kubectl explain</c>), and one v2 document.
/// Schemas are published for the kinds CRDs define, named as the API server names them (reversed group, version, kind:
/// <c>io.istio.networking.v1.VirtualService</c>) and marked with <c>x-kubernetes-group-version-kind</c>; built-in kinds
/// have paths but no schema here.
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
        var schemas = new JsonObject();
        foreach (var type in types)
        {
            if (SchemaOf(type, version) is { } schema)
            {
                schemas[SchemaName(type, version)] = schema;
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.35.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    /// <summary>The Swagger 2.0 document (<c>/openapi/v2</c>) with every CRD-defined kind's schema in each served version.</summary>
    public static JsonObject V2(TypeRegistry registry)
    {
        var definitions = new JsonObject();
        foreach (var type in registry.All.Where(t => t.Definition is not null))
        {
            foreach (var version in type.Versions)
            {
                if (SchemaOf(type, version) is { } schema)
                {
                    definitions[SchemaName(type, version)] = ToSwagger2(schema);
                }
            }
        }
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.35.0" },
            ["paths"] = new JsonObject(),
            ["definitions"] = definitions,
        };
    }

    internal static string SchemaName(ResourceType type, string version) =>
        string.Join('.', type.Group.Split('.').Reverse()) + $".{version}.{type.Kind}";

    /// <summary>A kind's published schema: its CRD's, with apiVersion, kind and metadata described as the API server adds them.</summary>
    private static JsonObject? SchemaOf(ResourceType type, string version)
    {
        if (type.Definition?.Schemas.GetValueOrDefault(version) is not { } crdSchema)
        {
            return null;
        }
        var schema = (JsonObject)crdSchema.DeepClone();
        var properties = schema["properties"] as JsonObject ?? [];
        schema["properties"] = properties;
        properties["apiVersion"] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "APIVersion defines the versioned schema of this representation of an object.",
        };
        properties["kind"] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "Kind is a string value representing the REST resource this object represents.",
        };
        properties["metadata"] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "Standard object's metadata: name, namespace, labels, annotations and the fields the server owns.",
        };
        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = type.Group, ["kind"] = type.Kind, ["version"] = version });
        return schema;
    }

    /// <summary>Swagger 2.0 has no nullable, oneOf, anyOf or not: the API server leaves them out of the v2 document.</summary>
    private static JsonNode ToSwagger2(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            var result = new JsonObject();
            foreach (var (key, value) in obj)
            {
                if (key is "nullable" or "oneOf" or "anyOf" or "not")
                {
                    continue;
                }
                result[key] = value is null ? null : ToSwagger2(value);
            }
            return result;
        }
        return node is JsonArray array ? new JsonArray(array.Select(i => i is null ? null : ToSwagger2(i)).ToArray()) : node.DeepClone();
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
