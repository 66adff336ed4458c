using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>The few defaults a real API server fills in that clients look at (a Service's type and cluster IP).</summary>
internal static class Defaults
{
    public static void OnCreate(ResourceType type, JsonObject body, int objectCount)
    {
        MergeStringData(type, body);
        if (type == ResourceTypes.Services)
        {
            var spec = body["spec"] as JsonObject ?? [];
            body["spec"] = spec;
            spec["type"] ??= "ClusterIP";
            if ((string?)spec["type"] != "ExternalName" && spec["clusterIP"] is null)
            {
                var address = $"10.96.{(objectCount / 250) % 250}.{(objectCount % 250) + 2}";
                spec["clusterIP"] = address;
                spec["clusterIPs"] = new JsonArray(address);
            }
        }
        else if (type == ResourceTypes.Namespaces)
        {
            body["status"] = new JsonObject { ["phase"] = "Active" };
        }
        else if (type == ResourceTypes.Secrets && string.IsNullOrEmpty((string?)body["type"]))
        {
            // core/v1 SetDefaults_Secret: a Secret without a type is Opaque.
            body["type"] = "Opaque";
        }
    }

    /// <summary>A Secret's stringData is write-only: the API server folds it into data (base64), a key in both taking stringData's value.</summary>
    private static void MergeStringData(ResourceType type, JsonObject body)
    {
        if (type != ResourceTypes.Secrets || body["stringData"] is not JsonObject stringData)
        {
            return;
        }
        var data = body["data"] as JsonObject ?? [];
        body["data"] = data;
        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value?.ToString() ?? ""));
        }
        body.Remove("stringData");
    }

    public static void OnUpdate(ResourceType type, JsonObject body, JsonObject old)
    {
        MergeStringData(type, body);
        if (type == ResourceTypes.Services && body["spec"] is JsonObject spec && spec["clusterIP"] is null && old["spec"]?["clusterIP"] is { } address)
        {
            // The cluster IP is immutable; a replace that omits it keeps it.
            spec["clusterIP"] = address.DeepClone();
            spec["clusterIPs"] = old["spec"]?["clusterIPs"]?.DeepClone();
        }
        if (type == ResourceTypes.Namespaces)
        {
            body["status"] = old["status"]?.DeepClone();
        }
        if (type == ResourceTypes.CustomResourceDefinitions && body["status"] is JsonObject status)
        {
            // A definition's accepted names and stored versions follow its spec; its conditions stay as they were.
            var fresh = CustomResourceDefinitions.Status(body, "");
            status["acceptedNames"] = fresh["acceptedNames"]!.DeepClone();
            var stored = (status["storedVersions"] as JsonArray)?.Select(v => (string?)v).ToList() ?? [];
            foreach (var version in ((JsonArray)fresh["storedVersions"]!).Select(v => (string?)v).Where(v => !stored.Contains(v)))
            {
                stored.Add(version);
            }
            status["storedVersions"] = new JsonArray(stored.Select(v => (JsonNode?)v).ToArray());
        }
    }
}

/// <summary>Kinds whose status is a subresource: written only through <c>/status</c>.</summary>
internal static class StatusSubresource
{
    public static bool Has(ResourceType type) =>
        type == ResourceTypes.Pods || type == ResourceTypes.Deployments || type == ResourceTypes.CustomResourceDefinitions ||
        type.Definition?.HasStatusSubresource == true;

    public static void Initial(ResourceType type, JsonObject body, string now)
    {
        if (type == ResourceTypes.Pods)
        {
            body["status"] = new JsonObject { ["phase"] = "Pending" };
        }
        else if (type == ResourceTypes.CustomResourceDefinitions)
        {
            body["status"] = CustomResourceDefinitions.Status(body, now);
        }
    }
}
