using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>The few defaults a real API server fills in that clients look at (a Service's type and cluster IP).</summary>
internal static class Defaults
{
    public static void OnCreate(ResourceType type, JsonObject body, int objectCount)
    {
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
    }

    public static void OnUpdate(ResourceType type, JsonObject body, JsonObject old)
    {
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
    }
}

/// <summary>Kinds whose status is a subresource: written only through <c>/status</c>.</summary>
internal static class StatusSubresource
{
    public static bool Has(ResourceType type) =>
        type == ResourceTypes.Pods || type == ResourceTypes.Deployments || type.Group == ResourceTypes.IstioNetworkingGroup;

    public static void Initial(ResourceType type, JsonObject body)
    {
        if (type == ResourceTypes.Pods)
        {
            body["status"] = new JsonObject { ["phase"] = "Pending" };
        }
    }
}
