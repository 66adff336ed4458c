using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Watching;

/// <summary>
/// <see cref="PodProjection.Lean(JsonObject)"/> taken straight from the typed pod the client read: the same identity, labels, owners
/// and readiness, without writing the whole pod (several KB of containers, volumes and statuses) back out as JSON and
/// parsing it again, which cost most of a large cluster's first sync.
/// </summary>
internal static class LeanPods
{
    public static JsonObject From(V1Pod pod)
    {
        var source = pod.Metadata;
        var metadata = new JsonObject();
        Add(metadata, "name", source?.Name);
        Add(metadata, "namespace", source?.NamespaceProperty);
        Add(metadata, "uid", source?.Uid);
        Add(metadata, "resourceVersion", source?.ResourceVersion);
        if (source?.Labels is { } labels)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));
        }
        if (source?.OwnerReferences is { } owners)
        {
            metadata["ownerReferences"] = JsonNode.Parse(KubernetesJson.Serialize(owners));
        }
        if (source?.CreationTimestamp is { } created)
        {
            metadata["creationTimestamp"] = JsonNode.Parse(KubernetesJson.Serialize(created));
        }
        if (source?.DeletionTimestamp is { } deleted)
        {
            metadata["deletionTimestamp"] = JsonNode.Parse(KubernetesJson.Serialize(deleted));
        }

        var status = new JsonObject();
        Add(status, "phase", pod.Status?.Phase);
        if (pod.Status?.Conditions is { } conditions)
        {
            status["conditions"] = new JsonArray([.. conditions.Select(c => (JsonNode)new JsonObject { ["type"] = c.Type, ["status"] = c.Status })]);
        }
        return new JsonObject
        {
            ["apiVersion"] = pod.ApiVersion ?? "v1",
            ["kind"] = pod.Kind ?? "Pod",
            ["metadata"] = metadata,
            ["status"] = status,
        };
    }

    private static void Add(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }
}
