using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Kubernetes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshDashboard.Cluster.History;

/// <summary>A history entry as stored: the states themselves, from which diffs and rollbacks are made.</summary>
public sealed record RecordedChange(string Revision, DateTimeOffset Time, string Author, string Summary, string? Reason, bool IsBaseline, ImmutableArray<RecordedObject> Objects)
{
    /// <summary>The change (journal id) this entry records, so a change recorded twice (a retry, a recovery) is kept once.</summary>
    public string? ChangeId { get; init; }
}

/// <summary>A ConfigMap the history wrote, at the resourceVersion the write gave it.</summary>
public sealed record WrittenVersion(ObjectRef Ref, string ResourceVersion);

/// <summary>A recorded change's revision, and the ConfigMaps written for it (none when it was already recorded).</summary>
public sealed record AppendedRevision(string Revision, ImmutableArray<WrittenVersion> Written);

/// <summary>
/// The change history of each service, kept in the cluster as one ConfigMap per service in the dashboard's
/// namespace, so it survives restarts and every replica shares it. Each entry is one data key
/// (<c>r000001.json</c>); <c>r000000</c> is the baseline captured before the dashboard's first change.
/// Appends are read-modify-write guarded by the ConfigMap's resourceVersion. A second ConfigMap,
/// <c>meshdashboard-recent-changes</c>, lists the latest changes of every service (who, when, what; no object
/// states), so "what changed in the last hour" is one read instead of every service's history.
/// Both carry <see cref="HistoryLabel"/>, so the shared watch follows them (<see cref="Watching.DashboardConfigMaps"/>):
/// pages read them from the cache, and an append starts from the cached ConfigMap and its resourceVersion. Only when
/// the cluster answers 409 (someone wrote since the cache saw it: another replica, a hand edit, or a cache behind)
/// is the ConfigMap read from the cluster and the append done again on what it holds.
/// </summary>
public sealed partial class ChangeHistoryStore(IKubernetes client, IMeshCache cache, HistoryOptions options, TimeProvider time, ILogger<ChangeHistoryStore>? logger = null)
{
    public const string RecentChangesName = "meshdashboard-recent-changes";
    private const string RecentChangesKey = "changes.json";

    /// <summary>The label the watch selects the dashboard's history ConfigMaps by: <c>true</c> on a service's, <c>recent-changes</c> on the list.</summary>
    public const string HistoryLabel = "meshdashboard.io/history";
    private const string RecentChangesLabelValue = "recent-changes";

    /// <summary>How many changes the recent-changes list keeps, across all services.</summary>
    public const int RecentChangesKept = 200;

    private readonly ILogger _logger = logger ?? NullLogger<ChangeHistoryStore>.Instance;

    private const string ManagedByLabel = "app.kubernetes.io/managed-by";
    private const string ServiceAnnotation = "meshdashboard.io/service";

    public string Namespace => options.Namespace;

    /// <summary>A service's history as the cluster holds it now (for recovery and rollback, which must not act on a cache behind).</summary>
    public async Task<IReadOnlyList<RecordedChange>> ReadAsync(ObjectRef service, CancellationToken cancellationToken)
    {
        var map = await TryReadAsync(service, cancellationToken);
        return map is null ? [] : Entries(map);
    }

    /// <summary>A service's history as the shared watch last saw it: what a page shows, without asking the cluster.</summary>
    public IReadOnlyList<RecordedChange> ReadCached(ObjectRef service) =>
        cache.Current.Find(ResourceKind.ConfigMap, options.Namespace, ConfigMapName(service))?.Raw["data"] is JsonObject data
            ? Entries(data.Select(p => KeyValuePair.Create(p.Key, p.Value is JsonValue value && value.TryGetValue<string>(out var text) ? text : "")))
            : [];

    /// <summary>The ConfigMap as the watch cache holds it; null when the cache has none.</summary>
    private V1ConfigMap? Cached(string name) =>
        cache.Current.Find(ResourceKind.ConfigMap, options.Namespace, name)?.Raw is { } raw ? KubernetesJson.Deserialize<V1ConfigMap>(raw.ToJsonString()) : null;

    /// <summary>
    /// Appends a change; when the service has no history yet, first records <paramref name="baseline"/>
    /// (the state of its traffic objects before this change). Returns the new revision.
    /// </summary>
    public async Task<AppendedRevision> AppendAsync(ObjectRef service, string author, string summary, string? reason,
        IReadOnlyList<RecordedObject> objects, IReadOnlyList<RecordedObject> baseline, CancellationToken cancellationToken, string? changeId = null)
    {
        // Several replicas or requests may append at once: the first attempt starts from the cache, and on a conflict the
        // ConfigMap is read from the cluster and the append retried on what it holds.
        for (var attempt = 0; ; attempt++)
        {
            var map = attempt == 0 ? Cached(ConfigMapName(service)) : await TryReadAsync(service, cancellationToken);
            var entries = map is null ? [] : Entries(map).ToList();
            if (changeId is not null && entries.FirstOrDefault(e => e.ChangeId == changeId) is { } recorded)
            {
                // Already recorded (an append whose answer was lost, then retried or recovered): once is enough. A cache
                // behind cannot show a record that is not there: any write since it makes the guarded write below fail.
                return new AppendedRevision(recorded.Revision, []);
            }
            var now = time.GetUtcNow();
            if (entries.Count == 0)
            {
                entries.Add(new RecordedChange(RevisionName(0), now, "baseline", "State before the first change made with MeshDashboard", null, true, [.. baseline]));
            }
            var next = entries.Max(e => RevisionNumber(e.Revision)) + 1;
            var revision = RevisionName(next);
            entries.Add(new RecordedChange(revision, now, author, summary, reason, false, [.. objects]) { ChangeId = changeId });
            Prune(entries);

            var data = entries.ToDictionary(e => e.Revision + ".json", Serialize);
            try
            {
                V1ConfigMap written;
                if (map is null)
                {
                    written = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
                    {
                        Metadata = new V1ObjectMeta
                        {
                            Name = ConfigMapName(service),
                            NamespaceProperty = options.Namespace,
                            Labels = new Dictionary<string, string> { [ManagedByLabel] = "meshdashboard", [HistoryLabel] = "true" },
                            Annotations = new Dictionary<string, string> { [ServiceAnnotation] = $"{service.Namespace}/{service.Name}" },
                        },
                        Data = data,
                    }, options.Namespace, cancellationToken: cancellationToken);
                }
                else
                {
                    // The resourceVersion the map was read at (cache or cluster) guards the write: a 409 means read again.
                    map.Data = data;
                    written = await client.CoreV1.ReplaceNamespacedConfigMapAsync(map, map.Metadata.Name, options.Namespace, cancellationToken: cancellationToken);
                }
                var recent = await RecordRecentAsync(new RecentChange(service, revision, now, author, summary, reason), cancellationToken);
                return new AppendedRevision(revision, [.. new[] { VersionOf(written), recent }.OfType<WrittenVersion>()]);
            }
            catch (HttpOperationException error) when (IsStale(error, map) && attempt < 5)
            {
            }
            catch (HttpOperationException error)
            {
                throw ClusterWriter.Classify(error);
            }
            catch (Exception error) when (error is HttpRequestException or IOException)
            {
                throw new ClusterWriteException(WriteFailure.Unreachable, $"The cluster could not be reached: {error.Message}", error);
            }
        }
    }

    /// <summary>The latest changes of every service, newest first, as the cluster holds them now.</summary>
    public async Task<IReadOnlyList<RecentChange>> ReadRecentAsync(CancellationToken cancellationToken)
    {
        var map = await TryReadConfigMapAsync(RecentChangesName, cancellationToken);
        return map is null ? [] : RecentOf(map);
    }

    /// <summary>
    /// The ConfigMap the write started from is not the cluster's: someone wrote it since (409), or, for a history, it was
    /// deleted since the cache saw it (404 on the update). Either way: read it from the cluster and write again.
    /// </summary>
    private static bool IsStale(HttpOperationException error, V1ConfigMap? startedFrom) =>
        error.Response.StatusCode == HttpStatusCode.Conflict || (startedFrom is not null && error.Response.StatusCode == HttpStatusCode.NotFound);

    private static WrittenVersion VersionOf(V1ConfigMap map) =>
        new(new ObjectRef(ResourceKind.ConfigMap, map.Metadata.NamespaceProperty, map.Metadata.Name), map.Metadata.ResourceVersion);

    /// <summary>
    /// Adds a change to the recent-changes list. The service's own history is the record; this list is an index of
    /// it, so a failure here is logged and does not fail (or undo) the change. Returns the list's new version; null when
    /// it was not written.
    /// </summary>
    private async Task<WrittenVersion?> RecordRecentAsync(RecentChange change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            V1ConfigMap? map = null;
            try
            {
                // From the cache first, as the history above; from the cluster after a conflict.
                map = attempt == 0 ? Cached(RecentChangesName) : await TryReadConfigMapAsync(RecentChangesName, cancellationToken);
                var entries = (map is null ? [] : RecentOf(map)).Prepend(change).Take(RecentChangesKept);
                var data = new Dictionary<string, string> { [RecentChangesKey] = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject
                {
                    ["namespace"] = e.Service.Namespace,
                    ["name"] = e.Service.Name,
                    ["revision"] = e.Revision,
                    ["time"] = e.Time.ToString("O", CultureInfo.InvariantCulture),
                    ["author"] = e.Author,
                    ["summary"] = e.Summary,
                    ["reason"] = e.Reason,
                })]).ToJsonString() };
                V1ConfigMap written;
                if (map is null)
                {
                    written = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
                    {
                        Metadata = new V1ObjectMeta
                        {
                            Name = RecentChangesName,
                            NamespaceProperty = options.Namespace,
                            Labels = new Dictionary<string, string> { [ManagedByLabel] = "meshdashboard", [HistoryLabel] = RecentChangesLabelValue },
                        },
                        Data = data,
                    }, options.Namespace, cancellationToken: cancellationToken);
                }
                else
                {
                    map.Data = data;
                    // A list written by an older dashboard has no label yet: with it the watch follows the list from now on.
                    map.Metadata.Labels ??= new Dictionary<string, string>();
                    map.Metadata.Labels[HistoryLabel] = RecentChangesLabelValue;
                    written = await client.CoreV1.ReplaceNamespacedConfigMapAsync(map, RecentChangesName, options.Namespace, cancellationToken: cancellationToken);
                }
                return VersionOf(written);
            }
            catch (HttpOperationException error) when (IsStale(error, map) && attempt < 5)
            {
                // Another writer got there first (a newer list, or created it meanwhile): read again and add ours.
            }
            catch (Exception error) when (error is HttpOperationException or HttpRequestException or IOException or ClusterWriteException or System.Text.Json.JsonException or FormatException)
            {
                LogRecentNotRecorded(_logger, change.Service.Namespace, change.Service.Name, change.Revision, error.Message);
                return null;
            }
        }
    }

    private static List<RecentChange> RecentOf(V1ConfigMap map) =>
        map.Data is not null && map.Data.TryGetValue(RecentChangesKey, out var json) ? ParseRecent(json) : [];

    /// <summary>The recent-changes list as the watch delivers it (the ConfigMap as JSON); empty when there is none.</summary>
    public static IReadOnlyList<RecentChange> RecentOf(JsonObject? configMap) =>
        configMap?["data"]?[RecentChangesKey] is JsonValue value && value.TryGetValue<string>(out var json) ? ParseRecent(json) : [];

    private static List<RecentChange> ParseRecent(string json) =>
        JsonNode.Parse(json) is JsonArray array
            ? [.. array.OfType<JsonObject>().Select(e => new RecentChange(
                new ObjectRef(ResourceKind.Service, (string?)e["namespace"] ?? "", (string?)e["name"] ?? ""),
                (string?)e["revision"] ?? "",
                DateTimeOffset.Parse((string?)e["time"] ?? "", CultureInfo.InvariantCulture),
                (string?)e["author"] ?? "",
                (string?)e["summary"] ?? "",
                (string?)e["reason"]))]
            : [];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change {Revision} of {Namespace}/{Service} is in its history but not in the recent-changes list: {Reason}")]
    private static partial void LogRecentNotRecorded(ILogger logger, string @namespace, string service, string revision, string reason);

    public static string ConfigMapName(ObjectRef service)
    {
        var name = $"meshdashboard-history-{service.Namespace}-{service.Name}";
        if (name.Length <= 253)
        {
            return name;
        }
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12].ToLowerInvariant();
        return name[..240] + "-" + hash;
    }

    private Task<V1ConfigMap?> TryReadAsync(ObjectRef service, CancellationToken cancellationToken) =>
        TryReadConfigMapAsync(ConfigMapName(service), cancellationToken);

    private async Task<V1ConfigMap?> TryReadConfigMapAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedConfigMapAsync(name, options.Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException error)
        {
            throw ClusterWriter.Classify(error);
        }
        catch (Exception error) when (error is HttpRequestException or IOException)
        {
            throw new ClusterWriteException(WriteFailure.Unreachable, $"The cluster could not be reached: {error.Message}", error);
        }
    }

    /// <summary>
    /// Retention is by count only: the baseline and the newest <see cref="HistoryOptions.MaxEntries"/> changes. Never by
    /// size, or one large entry (a long reason) could push older ones out of the audit trail; records are bounded
    /// instead (a reason has at most <see cref="ChangeRequest.MaxReasonLength"/> characters). Should a history still
    /// outgrow what the API server stores in one ConfigMap, the write is refused and the change is undone, never
    /// recorded by dropping others.
    /// </summary>
    private void Prune(List<RecordedChange> entries)
    {
        entries.Sort((a, b) => RevisionNumber(a.Revision).CompareTo(RevisionNumber(b.Revision)));
        var excess = entries.Count - (options.MaxEntries + 1);
        if (excess > 0)
        {
            // Keep the baseline (index 0); drop the oldest changes after it.
            entries.RemoveRange(1, excess);
        }
    }

    private static IReadOnlyList<RecordedChange> Entries(V1ConfigMap map) => Entries(map.Data ?? new Dictionary<string, string>());

    private static IReadOnlyList<RecordedChange> Entries(IEnumerable<KeyValuePair<string, string>> data) =>
        data
            .Where(p => p.Key.EndsWith(".json", StringComparison.Ordinal))
            .Select(p => Deserialize(p.Value))
            .OfType<RecordedChange>()
            .OrderBy(e => RevisionNumber(e.Revision))
            .ToList();

    private static string RevisionName(int number) => "r" + number.ToString("D6", CultureInfo.InvariantCulture);

    private static int RevisionNumber(string revision) =>
        int.TryParse(revision.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

    private static string Serialize(RecordedChange entry) => new JsonObject
    {
        ["revision"] = entry.Revision,
        ["change"] = entry.ChangeId,
        ["time"] = entry.Time.ToString("O", CultureInfo.InvariantCulture),
        ["author"] = entry.Author,
        ["summary"] = entry.Summary,
        ["reason"] = entry.Reason,
        ["baseline"] = entry.IsBaseline,
        ["objects"] = RecordedObjects.ToJson(entry.Objects),
    }.ToJsonString();

    private static RecordedChange? Deserialize(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject node)
        {
            return null;
        }
        return new RecordedChange(
            (string)node["revision"]!,
            DateTimeOffset.Parse((string)node["time"]!, CultureInfo.InvariantCulture),
            (string?)node["author"] ?? "",
            (string?)node["summary"] ?? "",
            (string?)node["reason"],
            (bool?)node["baseline"] ?? false,
            RecordedObjects.FromJson(node["objects"] as JsonArray))
        {
            ChangeId = (string?)node["change"],
        };
    }
}
