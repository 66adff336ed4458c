using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshDashboard.Cluster.History;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Watching;

/// <summary>
/// The dashboard's own ConfigMaps in its namespace, as one watched source: every service's history and the list of
/// recent changes, all carrying the label <see cref="ChangeHistoryStore.HistoryLabel"/> (histories <c>true</c>, the list
/// <c>recent-changes</c>), so one label-selected list and watch follows them. One source rather than two (name and label)
/// because the cache replaces a kind whole on every list: two lists of one kind would each erase the other's objects.
/// A recent-changes list written by an older dashboard has no label; while it has none it is read by name at each list,
/// and the next change recorded gives it the label (<see cref="ChangeHistoryStore"/> writes it with the label).
/// Each is kept once, as its JSON without managedFields; only edited services have one.
/// </summary>
internal sealed class DashboardConfigMaps(IKubernetes client, string dashboardNamespace) : IKindSource
{
    public ResourceKind Kind => ResourceKind.ConfigMap;

    public bool IsOptional => true;

    public async Task<(IReadOnlyList<KubeObject> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var (items, resourceVersion) = await KindSources.ListAllAsync(async (token, limit, ct) =>
        {
            var page = await client.CoreV1.ListNamespacedConfigMapAsync(dashboardNamespace, continueParameter: token,
                labelSelector: ChangeHistoryStore.HistoryLabel, limit: limit, cancellationToken: ct);
            return new KindSources.Listed([.. (page.Items ?? []).Select(Kept)], page.Metadata?.ResourceVersion, page.Metadata?.ContinueProperty);
        }, cancellationToken);
        if (items.Any(i => i.Name == ChangeHistoryStore.RecentChangesName))
        {
            return (items, resourceVersion);
        }
        try
        {
            var unlabelled = await client.CoreV1.ReadNamespacedConfigMapAsync(ChangeHistoryStore.RecentChangesName, dashboardNamespace, cancellationToken: cancellationToken);
            return ([.. items, Kept(unlabelled)], resourceVersion);
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return (items, resourceVersion);
        }
    }

    public async IAsyncEnumerable<KindChange> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = client.CoreV1.WatchListNamespacedConfigMapAsync(dashboardNamespace, allowWatchBookmarks: true,
            labelSelector: ChangeHistoryStore.HistoryLabel, resourceVersion: resourceVersion, timeoutSeconds: KindSources.WatchTimeoutSeconds,
            cancellationToken: cancellationToken);
        await foreach (var change in KindSources.ChangesOf(stream, Kept, cancellationToken))
        {
            yield return change;
        }
    }

    /// <summary>
    /// A ConfigMap as the cache keeps it: whole but for managedFields (bookkeeping nobody here reads), since an append
    /// writes the cached ConfigMap back and must not drop what others put on it.
    /// </summary>
    private static KubeObject Kept(V1ConfigMap map) => new(ResourceKind.ConfigMap, Lean(map));

    internal static JsonObject Lean(V1ConfigMap map)
    {
        if (map.Metadata is { } metadata)
        {
            metadata.ManagedFields = null;
        }
        var node = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(map))!;
        // Items of a list carry no apiVersion and kind; the cached form always does.
        node["apiVersion"] = "v1";
        node["kind"] = "ConfigMap";
        return node;
    }
}
