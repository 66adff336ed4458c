using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Watching;

/// <summary>The list-and-watch sources for every kind the dashboard reads, over KubernetesClient.</summary>
public static class KindSources
{
    /// <summary>Server-side watch timeout; the watcher resumes from its last version when it ends.</summary>
    internal const int WatchTimeoutSeconds = 300;

    /// <summary>Objects per list page, as client-go's reflector asks: a large cluster is not asked for every pod at once.</summary>
    internal const int PageSize = 500;

    /// <param name="client">The cluster.</param>
    /// <param name="dashboardNamespace">The dashboard's own namespace, where its recent-changes list lives.</param>
    public static IReadOnlyList<IKindSource> All(IKubernetes client, string dashboardNamespace) =>
    [
        new CoreSource<V1Namespace>(client, ResourceKind.Namespace, "api/v1/namespaces",
            (rv, ct) => client.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, cancellationToken: ct)),
        new CoreSource<V1Service>(client, ResourceKind.Service, "api/v1/services",
            (rv, ct) => client.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, cancellationToken: ct)),
        // Pods are only read (labels, owners, readiness): the cache keeps that part of each as a PodSummary, taken from
        // the listed page or the typed pod of a watch event as it arrives (see LeanPods).
        new CoreSource<V1Pod>(client, ResourceKind.Pod, "api/v1/pods",
            (rv, ct) => client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchTimeoutSeconds, cancellationToken: ct))
        {
            KeepListed = (ref Utf8JsonReader reader) => new KubeObject(PodSummary.Read(ref reader)),
            KeepWatched = LeanPods.From,
        },
        new CustomSource(client, ResourceKind.VirtualService, ResourceKinds.IstioGroup, ResourceKinds.IstioVersion),
        new CustomSource(client, ResourceKind.DestinationRule, ResourceKinds.IstioGroup, ResourceKinds.IstioVersion),
        new CustomSource(client, ResourceKind.Gateway, ResourceKinds.IstioGroup, ResourceKinds.IstioVersion),
        // Where Argo Rollouts is not installed the API answers 404 and the watcher shows none.
        new CustomSource(client, ResourceKind.Rollout, ResourceKinds.ArgoRolloutsGroup, ResourceKinds.ArgoRolloutsVersion),
        // The dashboard's own ConfigMaps (every edited service's history and the recent-changes list), by label, so open
        // pages follow them like everything else and a service page reads its history from here, not from the cluster.
        new DashboardConfigMaps(client, dashboardNamespace),
    ];

    /// <summary>One page of a list: its items as the cache keeps them, the list's version and the token for the next page.</summary>
    internal sealed record Listed(IReadOnlyList<KubeObject> Items, string? ResourceVersion, string? Continue);

    /// <summary>Asks for one page of a list.</summary>
    internal delegate Task<Listed> ListPage(string? continueToken, int? limit, CancellationToken cancellationToken);

    /// <summary>
    /// Lists every object in pages of <see cref="PageSize"/>; the list's resourceVersion is the first page's (every page
    /// is served from that snapshot). When the server no longer serves the snapshot (410 Gone on a continue token), the
    /// list is asked again in one piece, as client-go does.
    /// </summary>
    internal static async Task<(IReadOnlyList<KubeObject> Items, string ResourceVersion)> ListAllAsync(ListPage page, CancellationToken cancellationToken)
    {
        var items = new List<KubeObject>();
        string? resourceVersion = null;
        string? token = null;
        try
        {
            do
            {
                var listed = await page(token, PageSize, cancellationToken);
                items.AddRange(listed.Items);
                resourceVersion ??= listed.ResourceVersion;
                token = listed.Continue is { Length: > 0 } next ? next : null;
            }
            while (token is not null);
            return (items, resourceVersion ?? "");
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Gone && token is not null)
        {
            var whole = await page(null, null, cancellationToken);
            return (whole.Items, whole.ResourceVersion ?? "");
        }
    }

    /// <summary>A watch event of an object (not an ERROR event: see <see cref="ErrorChange"/>).</summary>
    internal static KindChange ToChange(WatchEventType type, KubeObject? obj)
    {
        var rv = obj?.ResourceVersion is { Length: > 0 } version ? version : null;
        return type switch
        {
            WatchEventType.Added or WatchEventType.Modified => new KindChange(ChangeType.Upsert, obj, rv),
            WatchEventType.Deleted => new KindChange(ChangeType.Delete, obj, rv),
            WatchEventType.Bookmark => new KindChange(ChangeType.Bookmark, null, rv),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "an ERROR event carries a Status, not an object"),
        };
    }

    /// <summary>An ERROR event carries a Status; 410 means the version is gone from the server's history.</summary>
    internal static KindChange ErrorChange(JsonObject? status) =>
        (int?)status?["code"] == (int)HttpStatusCode.Gone
            ? new KindChange(ChangeType.Expired, null, null)
            : throw new InvalidOperationException($"watch error: {status?["message"]}");

    /// <summary>A core kind: listed as JSON pages, watched through the typed client.</summary>
    private sealed class CoreSource<T>(
        IKubernetes client,
        ResourceKind kind,
        string listPath,
        Func<string, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch) : IKindSource
        where T : IKubernetesObject
    {
        public ResourceKind Kind => kind;

        private ListPages? _pages;

        /// <summary>What of each listed object the cache keeps; the whole object by default.</summary>
        public ListPages.ItemReader KeepListed { get; init; } = ListPages.Whole(kind);

        /// <summary>What of each watched object the cache keeps; the whole object by default.</summary>
        public Func<T, KubeObject> KeepWatched { get; init; } = item => new KubeObject(kind, (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(item))!);

        public Task<(IReadOnlyList<KubeObject> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
        {
            var pages = _pages ??= new ListPages(KeepListed);
            return ListAllAsync((token, limit, ct) => pages.ReadAsync(client, listPath, token, limit, ct), cancellationToken);
        }

        public IAsyncEnumerable<KindChange> WatchAsync(string resourceVersion, CancellationToken cancellationToken) =>
            ChangesOf(watch(resourceVersion, cancellationToken), KeepWatched, cancellationToken);
    }

    /// <summary>A typed watch as the cache's changes, each object kept as <paramref name="keep"/> makes it.</summary>
    internal static async IAsyncEnumerable<KindChange> ChangesOf<T>(IAsyncEnumerable<(WatchEventType, T)> watch, Func<T, KubeObject> keep,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, item) in WatchOrExpired(watch, cancellationToken))
        {
            yield return item is null ? new KindChange(ChangeType.Expired, null, null)
                // An ERROR event carries a Status, not an object of the kind: read it whole.
                : type == WatchEventType.Error ? ErrorChange(JsonNode.Parse(KubernetesJson.Serialize(item)) as JsonObject)
                : ToChange(type, keep(item));
        }
    }

    private sealed class CustomSource(IKubernetes client, ResourceKind kind, string group, string version) : IKindSource
    {
        public ResourceKind Kind => kind;

        private readonly ListPages _pages = new(ListPages.Whole(kind));

        public Task<(IReadOnlyList<KubeObject> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken) =>
            ListAllAsync((token, limit, ct) => _pages.ReadAsync(client, $"apis/{group}/{version}/{kind.Plural()}", token, limit, ct), cancellationToken);

        public async IAsyncEnumerable<KindChange> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var stream = client.CustomObjects.WatchListClusterCustomObjectAsync(
                group, version, kind.Plural(),
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, cancellationToken: cancellationToken);
            await foreach (var (type, item) in WatchOrExpired(stream, cancellationToken))
            {
                yield return item is null ? new KindChange(ChangeType.Expired, null, null)
                    : type == WatchEventType.Error ? ErrorChange(ToNode(item) as JsonObject)
                    : ToChange(type, ToNode(item) is JsonObject node ? new KubeObject(kind, node) : null);
            }
        }
    }

    internal static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        // Owned and sharing recurring strings, as a listed object is kept (see JsonElementNodes), not a lazy view over
        // a document.
        JsonElement element => JsonElementNodes.ToNode(element),
        JsonNode node => node,
        _ => JsonNode.Parse(KubernetesJson.Serialize(value)),
    };

    /// <summary>Turns a 410 Gone answer to the watch request into one final null item ("expired").</summary>
    private static async IAsyncEnumerable<(WatchEventType, TItem?)> WatchOrExpired<TItem>(IAsyncEnumerable<(WatchEventType, TItem)> stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var enumerator = stream.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool moved;
            var expired = false;
            try
            {
                moved = await enumerator.MoveNextAsync();
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Gone)
            {
                moved = false;
                expired = true;
            }
            if (expired)
            {
                yield return (WatchEventType.Error, default);
                yield break;
            }
            if (!moved)
            {
                yield break;
            }
            yield return enumerator.Current;
        }
    }
}
