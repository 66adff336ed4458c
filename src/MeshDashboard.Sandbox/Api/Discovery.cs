using System.Text.Json.Nodes;

namespace MeshDashboard.Sandbox.Api;

/// <summary>The discovery documents kubectl and client libraries read to learn which kinds exist.</summary>
internal static class Discovery
{
    private static readonly string[] Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "35",
        ["emulationMajor"] = "1",
        ["emulationMinor"] = "35",
        ["gitVersion"] = "v1.35.0-meshdashboard-sandbox",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.25",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(TypeRegistry types) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(types.Groups.Select(g => (JsonNode?)Group(types, g)).ToArray()),
    };

    public static JsonObject? Group(TypeRegistry types, string group)
    {
        var versions = types.All.Where(t => t.Group == group).SelectMany(t => t.Versions).Distinct().Order(Comparer<string>.Create(CustomResourceDefinitions.ComparePriority)).ToList();
        if (versions.Count == 0)
        {
            return null;
        }
        JsonObject Entry(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Entry(v)).ToArray()),
            ["preferredVersion"] = Entry(versions[0]),
        };
    }

    public static JsonObject? Resources(TypeRegistry types, string group, string version)
    {
        var served = types.InGroupVersion(group, version).ToList();
        if (served.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var type in served)
        {
            var resource = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray(Verbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (type.ShortNames.Count > 0)
            {
                resource["shortNames"] = new JsonArray(type.ShortNames.Select(s => (JsonNode)s).ToArray());
            }
            if (type.Categories.Count > 0)
            {
                resource["categories"] = new JsonArray(type.Categories.Select(c => (JsonNode)c).ToArray());
            }
            resources.Add(resource);
            if (Storage.StatusSubresource.Has(type))
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
